/**
 * MinIO erasure-code layout and quorum math.
 *
 * Rules followed (MinIO's, as its server applies them):
 * - Drives of a pool are ordered as MinIO expands the pool's ellipsis argument: the
 *   leftmost pattern varies fastest. The manifests name servers
 *   `<svc>-z{0...2}-{0...s-1}` and drives `/data{0...d-1}`, so the zone varies
 *   fastest, then the server, then the drive; consecutive runs of N drives form the
 *   erasure sets. This is what spreads every set across the three zones.
 * - Set size N is 2 to 16 and divides the pool's drive count. Without an override,
 *   MinIO keeps the sizes "symmetric" with the leftmost pattern (N divisible by the
 *   zone count, or the zone count by N) and takes the largest.
 * - Parity M is at most N/2. Default: EC:1 for N of 2-3, EC:2 for 4-5, EC:3 for
 *   6-7, EC:4 for 8 and more. K = N - M data shards.
 * - ONE standard parity for every pool: MINIO_STORAGE_CLASS_STANDARD, or else the
 *   default for the FIRST pool's set size; MinIO refuses to start when it is above
 *   half of any pool's set size (see `planServerPools`).
 * - Read quorum is K; write quorum is K, or K + 1 when M = N/2 (so two halves of a
 *   split set can never both accept writes).
 * - With drives offline, new objects are written at a raised parity (up to N/2) as
 *   long as more than half of the set is online (writesSurviveOffline): the AZ-loss
 *   write verdict counts that, the disruption budget keeps the standard write quorum.
 */

import { PlanError } from './errors.js';

export type ZoneLossTolerance = 'none' | 'read' | 'readWrite';

/** One drive: which AZ (index into the zone list), which server, which mount. */
export interface DrivePosition {
  readonly zone: number;
  readonly server: number;
  readonly drive: number;
}

export interface PoolLayoutInput {
  /** Drives in MinIO's expansion order. */
  readonly drives: DrivePosition[];
  /** Number of AZs the drives may sit in. */
  readonly zoneCount: number;
  /** Size of each drive in GiB. */
  readonly driveSizeGiB: number;
  /** MINIO_ERASURE_SET_DRIVE_COUNT override. @default - MinIO's choice */
  readonly setDriveCount?: number;
  /** EC:M for every set. @default - MinIO's default for the set size */
  readonly parity?: number;
}

export interface ErasureSetPlan {
  readonly index: number;
  /** Drives of this set in each AZ, by zone index. */
  readonly drivesPerZone: number[];
  readonly survivesZoneLossForRead: boolean;
  readonly survivesZoneLossForWrite: boolean;
}

export interface PoolErasurePlan {
  readonly drives: number;
  readonly setDriveCount: number;
  readonly setCount: number;
  readonly parity: number;
  readonly dataShards: number;
  readonly readQuorum: number;
  readonly writeQuorum: number;
  readonly sets: ErasureSetPlan[];
  /** True when every set keeps read quorum with any one AZ gone. */
  readonly survivesZoneLossForRead: boolean;
  readonly survivesZoneLossForWrite: boolean;
  /** Most drives of one set in one AZ (the worst case an AZ loss takes). */
  readonly maxDrivesPerZoneInSet: number;
  /** Drives of one set MinIO may lose and still serve reads/writes. */
  readonly tolerableDriveLossForRead: number;
  readonly tolerableDriveLossForWrite: number;
  /**
   * Drives of one set that may be offline while MinIO still writes new objects, at a
   * raised parity (see writesSurviveOffline); what the AZ-loss write verdict counts.
   */
  readonly tolerableDriveLossForNewWrites: number;
  readonly rawCapacityGiB: number;
  readonly usableCapacityGiB: number;
}

/** A layout MinIO itself would refuse to start with. */
export class ErasureLayoutError extends PlanError {
  /**
   * @param pool index of the pool at fault. @default - not tied to one pool
   * @param field the config field to change: `parity` when the configured parity is at fault. @default - the pool
   */
  constructor(message: string, readonly pool?: number, readonly field?: 'parity') {
    super(message);
  }
}

export const MIN_SET_SIZE = 2;
export const MAX_SET_SIZE = 16;

export function defaultParity(setDriveCount: number): number {
  if (setDriveCount <= 3) return 1;
  if (setDriveCount <= 5) return 2;
  if (setDriveCount <= 7) return 3;
  return 4;
}

/** MinIO's choice of set size for a pool of `drives` expanded with `zoneCount` as the leftmost pattern. */
export function chooseSetDriveCount(drives: number, zoneCount: number): number | undefined {
  const divisors: number[] = [];
  for (let n = MIN_SET_SIZE; n <= MAX_SET_SIZE; n++) if (drives % n === 0) divisors.push(n);
  const symmetric = divisors.filter((n) => n % zoneCount === 0 || zoneCount % n === 0);
  const candidates = symmetric.length > 0 ? symmetric : divisors;
  return candidates.length ? Math.max(...candidates) : undefined;
}

/** Drives of a symmetric pool in MinIO's expansion order (zone fastest, then server, then drive). */
export function symmetricPoolDrives(zoneCount: number, serversPerZone: number, drivesPerServer: number): DrivePosition[] {
  const out: DrivePosition[] = [];
  for (let drive = 0; drive < drivesPerServer; drive++) {
    for (let server = 0; server < serversPerZone; server++) {
      for (let zone = 0; zone < zoneCount; zone++) out.push({ zone, server, drive });
    }
  }
  return out;
}

export function writeQuorum(setDriveCount: number, parity: number): number {
  const data = setDriveCount - parity;
  return parity * 2 === setDriveCount ? data + 1 : data;
}

/**
 * Can a set of `setDriveCount` drives with standard parity EC:`parity` still take new
 * objects (and deletes) while `offline` of its drives are gone? MinIO optimises for
 * availability unless `MINIO_STORAGE_CLASS_OPTIMIZE=capacity` (the platform leaves it
 * unset): a PUT made with drives offline raises that object's parity by one for each
 * offline drive, up to half the set, and is refused when half or more are offline; a
 * DELETE needs `N/2 + 1` drives. So new writes continue while more than half of the
 * set is online, even where the standard parity's write quorum is not met (for example
 * a 6-drive set at EC:1 with 2 drives gone writes its new objects at EC:3).
 *
 * Objects written before the loss keep their parity: reading them needs K drives.
 * @see https://github.com/minio/minio/blob/master/cmd/erasure-object.go (putObject: parity upgrade, deleteObjectVersion: N/2 + 1)
 * @see https://github.com/minio/minio/blob/master/cmd/erasure-multipart.go (newMultipartUpload: the same upgrade)
 * @see https://github.com/minio/minio/blob/master/internal/config/storageclass/storage-class.go (AvailabilityOptimized is the default)
 */
export function writesSurviveOffline(setDriveCount: number, parity: number, offline: number): boolean {
  const n = setDriveCount;
  if (offline >= Math.floor((n + 1) / 2)) return false;
  const raised = Math.min(parity + offline, Math.floor(n / 2));
  const online = n - offline;
  return online >= writeQuorum(n, raised) && online >= Math.floor(n / 2) + 1;
}

/** Most drives of a set that may be offline while new objects are still written (see writesSurviveOffline). */
export function maxOfflineForNewWrites(setDriveCount: number, parity: number): number {
  let d = 0;
  while (d + 1 <= setDriveCount && writesSurviveOffline(setDriveCount, parity, d + 1)) d++;
  return d;
}

/**
 * The erasure-set size of a pool of `total` drives: the override, or MinIO's choice.
 * @throws ErasureLayoutError when the drives cannot form sets of 2 to 16 (naming `pool` when given)
 */
function setDriveCountOf(total: number, zoneCount: number, override: number | undefined, pool?: number): number {
  const n = override ?? chooseSetDriveCount(total, zoneCount);
  if (n === undefined || n < MIN_SET_SIZE || n > MAX_SET_SIZE || total % n !== 0) {
    throw new ErasureLayoutError(
      `${total} drives cannot form erasure sets of ${MIN_SET_SIZE} to ${MAX_SET_SIZE} drives` +
        (override ? ` of ${override} each` : '') +
        ': change servers or drives so the total divides into such sets',
      pool,
    );
  }
  return n;
}

export function planPool(input: PoolLayoutInput): PoolErasurePlan {
  const total = input.drives.length;
  const n = setDriveCountOf(total, input.zoneCount, input.setDriveCount);
  const m = input.parity ?? defaultParity(n);
  if (m < 0 || m > n / 2) {
    throw new ErasureLayoutError(`parity EC:${m} is above half of the ${n}-drive set: use a parity from 0 to ${Math.floor(n / 2)}`);
  }
  const k = n - m;
  const wq = writeQuorum(n, m);
  const sets: ErasureSetPlan[] = [];
  for (let s = 0; s < total / n; s++) {
    const perZone = new Array<number>(input.zoneCount).fill(0);
    for (const d of input.drives.slice(s * n, (s + 1) * n)) perZone[d.zone]++;
    const worst = Math.max(...perZone);
    sets.push({
      index: s,
      drivesPerZone: perZone,
      survivesZoneLossForRead: n - worst >= k,
      survivesZoneLossForWrite: writesSurviveOffline(n, m, worst),
    });
  }
  const raw = total * input.driveSizeGiB;
  return {
    drives: total,
    setDriveCount: n,
    setCount: sets.length,
    parity: m,
    dataShards: k,
    readQuorum: k,
    writeQuorum: wq,
    sets,
    survivesZoneLossForRead: sets.every((s) => s.survivesZoneLossForRead),
    survivesZoneLossForWrite: sets.every((s) => s.survivesZoneLossForWrite),
    maxDrivesPerZoneInSet: Math.max(...sets.map((s) => Math.max(...s.drivesPerZone))),
    tolerableDriveLossForRead: n - k,
    tolerableDriveLossForWrite: n - wq,
    tolerableDriveLossForNewWrites: maxOfflineForNewWrites(n, m),
    rawCapacityGiB: raw,
    usableCapacityGiB: (raw * k) / n,
  };
}

/** One pool of a deployment: its drives in MinIO's expansion order and their size. */
export type ServerPoolInput = Omit<PoolLayoutInput, 'setDriveCount' | 'parity'>;

/** Every pool of one MinIO deployment under its one standard parity. */
export interface ServerPoolsPlan {
  /** EC:M applied to every pool (what MINIO_STORAGE_CLASS_STANDARD must say). */
  readonly parity: number;
  /** `configured`: `minio.parity`; `firstPoolDefault`: MinIO's default for the first pool's set size. */
  readonly paritySource: 'configured' | 'firstPoolDefault';
  readonly pools: PoolErasurePlan[];
}

/**
 * Plans all pools of one deployment as MinIO starts them: each pool gets its own set
 * size (`setDriveCount` overrides them all), then ONE standard parity for every pool,
 * `parity` when given, or else `defaultParity` of the first pool's set size; a pool
 * whose sets are too small for that parity (M > N/2) stops MinIO from starting.
 *
 * MinIO's code: cmd/erasure-server-pool.go `newErasureServerPools` (commonParityDrives
 * is set once, from `ecDrivesNoConfig(ep.DrivesPerSet)` of the first pool, then
 * `storageclass.ValidateParity(commonParityDrives, ep.DrivesPerSet)` for every pool,
 * failing with "parity validation returned an error ... for pool(2nd)"), cmd/format-erasure.go
 * `ecDrivesNoConfig` (MINIO_STORAGE_CLASS_STANDARD, else `DefaultParityBlocks`),
 * internal/config/storageclass/storage-class.go (`DefaultParityBlocks`, `ValidateParity`:
 * parity above setDriveCount/2 is refused).
 * @throws ErasureLayoutError naming the pool (and `field: 'parity'` when the configured parity is at fault)
 * @see https://min.io/docs/minio/linux/reference/minio-server/settings/storage-class.html
 */
export function planServerPools(pools: readonly ServerPoolInput[], options: { setDriveCount?: number; parity?: number } = {}): ServerPoolsPlan {
  if (pools.length === 0) throw new ErasureLayoutError('a deployment needs at least one pool: add a pool');
  const sizes = pools.map((pool, i) => setDriveCountOf(pool.drives.length, pool.zoneCount, options.setDriveCount, i));
  const configured = options.parity !== undefined;
  const parity = options.parity ?? defaultParity(sizes[0]!);
  const limit = Math.min(...sizes.map((n) => Math.floor(n / 2)));
  sizes.forEach((n, i) => {
    if (parity <= Math.floor(n / 2)) return;
    if (configured) {
      throw new ErasureLayoutError(
        `EC:${parity} is above half of pool ${i}'s ${n}-drive sets, so MinIO refuses to start (it applies one parity to every pool): use a parity from 0 to ${limit}`,
        i,
        'parity',
      );
    }
    throw new ErasureLayoutError(
      `its ${n}-drive sets cannot take EC:${parity}, the default parity of the first pool's ${sizes[0]}-drive sets that MinIO applies to every pool, so MinIO refuses to start: ` +
        `set minio.parity to at most ${limit}, or give pool ${i} sets of at least ${parity * 2} drives (more servers or drives per server)`,
      i,
    );
  });
  return {
    parity,
    paritySource: configured ? 'configured' : 'firstPoolDefault',
    pools: pools.map((pool, i) => planPool({ ...pool, setDriveCount: sizes[i], parity })),
  };
}

/** Does the plan meet the goal? Returns the reason when it does not. */
export function toleranceShortfall(plan: PoolErasurePlan, goal: ZoneLossTolerance): string | undefined {
  if (goal === 'none') return undefined;
  const worst = plan.maxDrivesPerZoneInSet;
  if (!plan.survivesZoneLossForRead) {
    return (
      `an AZ holds ${worst} drives of a ${plan.setDriveCount}-drive set with EC:${plan.parity}, ` +
      `leaving ${plan.setDriveCount - worst} when it fails, below the read quorum of ${plan.readQuorum}`
    );
  }
  if (goal === 'readWrite' && !plan.survivesZoneLossForWrite) {
    return (
      `an AZ holds ${worst} drives of a ${plan.setDriveCount}-drive set with EC:${plan.parity}, ` +
      `leaving ${plan.setDriveCount - worst} when it fails, not more than half of the set: MinIO refuses new writes then, even at raised parity`
    );
  }
  return undefined;
}
