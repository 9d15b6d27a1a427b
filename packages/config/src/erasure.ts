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
 * - Read quorum is K; write quorum is K, or K + 1 when M = N/2 (so two halves of a
 *   split set can never both accept writes).
 */

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
  readonly rawCapacityGiB: number;
  readonly usableCapacityGiB: number;
}

/** A layout MinIO itself would refuse to start with. */
export class ErasureLayoutError extends Error {}

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

export function planPool(input: PoolLayoutInput): PoolErasurePlan {
  const total = input.drives.length;
  const n = input.setDriveCount ?? chooseSetDriveCount(total, input.zoneCount);
  if (n === undefined || n < MIN_SET_SIZE || n > MAX_SET_SIZE || total % n !== 0) {
    throw new ErasureLayoutError(
      `${total} drives cannot form erasure sets of ${MIN_SET_SIZE} to ${MAX_SET_SIZE} drives` +
        (input.setDriveCount ? ` of ${input.setDriveCount} each` : '') +
        ': change servers or drives so the total divides into such sets',
    );
  }
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
      survivesZoneLossForWrite: n - worst >= wq,
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
    rawCapacityGiB: raw,
    usableCapacityGiB: (raw * k) / n,
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
      `leaving ${plan.setDriveCount - worst} when it fails, below the write quorum of ${plan.writeQuorum}`
    );
  }
  return undefined;
}
