import { describe, expect, it } from 'vitest';
import { chooseSetDriveCount, defaultParity, ErasureLayoutError, MAX_SET_SIZE, MIN_SET_SIZE, planPool, planServerPools, symmetricPoolDrives, toleranceShortfall, writesSurviveOffline, type DrivePosition } from '../src/erasure.js';

/** Drives placed explicitly: counts per AZ, one drive per server. */
function explicit(perZone: number[]): DrivePosition[] {
  return perZone.flatMap((count, zone) => Array.from({ length: count }, (_, server) => ({ zone, server, drive: 0 })));
}

describe('erasure plan', () => {
  it('6 drives as 2 per AZ with EC:3 survive an AZ loss for reads and writes', () => {
    const plan = planPool({ drives: symmetricPoolDrives(3, 1, 2), zoneCount: 3, driveSizeGiB: 100, parity: 3 });
    expect(plan).toMatchObject({ setDriveCount: 6, setCount: 1, parity: 3, dataShards: 3, readQuorum: 3, writeQuorum: 4 });
    expect(plan.sets[0]!.drivesPerZone).toEqual([2, 2, 2]);
    expect(plan.survivesZoneLossForRead).toBe(true);
    expect(plan.survivesZoneLossForWrite).toBe(true);
    expect(toleranceShortfall(plan, 'readWrite')).toBeUndefined();
  });

  it('4 drives with EC:2 laid out 2/1/1 keep reads but lose writes when the AZ with two fails', () => {
    const plan = planPool({ drives: explicit([2, 1, 1]), zoneCount: 3, driveSizeGiB: 100, parity: 2 });
    expect(plan).toMatchObject({ setDriveCount: 4, parity: 2, readQuorum: 2, writeQuorum: 3 });
    expect(plan.sets[0]!.drivesPerZone).toEqual([2, 1, 1]);
    expect(plan.survivesZoneLossForRead).toBe(true);
    expect(plan.survivesZoneLossForWrite).toBe(false);
    expect(toleranceShortfall(plan, 'read')).toBeUndefined();
    expect(toleranceShortfall(plan, 'readWrite')).toBe(
      'an AZ holds 2 drives of a 4-drive set with EC:2, leaving 2 when it fails, not more than half of the set: MinIO refuses new writes then, even at raised parity',
    );
  });

  it('12 drives as 4 per AZ with EC:4 survive an AZ loss for reads and writes', () => {
    const plan = planPool({ drives: symmetricPoolDrives(3, 2, 2), zoneCount: 3, driveSizeGiB: 500, parity: 4 });
    expect(plan).toMatchObject({ setDriveCount: 12, setCount: 1, readQuorum: 8, writeQuorum: 8 });
    expect(plan.sets[0]!.drivesPerZone).toEqual([4, 4, 4]);
    expect(plan.survivesZoneLossForRead && plan.survivesZoneLossForWrite).toBe(true);
  });

  it('refuses "read" when a set has more drives in one AZ than its parity', () => {
    // one server per AZ with 4 drives: a 12-drive set, 4 drives per AZ, EC:2 spares only 2
    const plan = planPool({ drives: symmetricPoolDrives(3, 1, 4), zoneCount: 3, driveSizeGiB: 100, parity: 2 });
    expect(plan.maxDrivesPerZoneInSet).toBe(4);
    expect(toleranceShortfall(plan, 'read')).toBe(
      'an AZ holds 4 drives of a 12-drive set with EC:2, leaving 8 when it fails, below the read quorum of 10',
    );
    expect(toleranceShortfall(plan, 'none')).toBeUndefined();
  });

  it('computes raw and usable capacity as K/N of raw', () => {
    const plan = planPool({ drives: symmetricPoolDrives(3, 2, 2), zoneCount: 3, driveSizeGiB: 500 });
    expect(plan.rawCapacityGiB).toBe(6000);
    expect(plan.usableCapacityGiB).toBe((6000 * 8) / 12);
  });

  it('spreads every set evenly over the zones when the set size is a multiple of three', () => {
    const plan = planPool({ drives: symmetricPoolDrives(3, 4, 4), zoneCount: 3, driveSizeGiB: 1 });
    expect(plan.setDriveCount).toBe(12);
    expect(plan.setCount).toBe(4);
    for (const set of plan.sets) expect(set.drivesPerZone).toEqual([4, 4, 4]);
  });

  it('uses the set size override and reports per-set placement', () => {
    const plan = planPool({ drives: symmetricPoolDrives(3, 2, 2), zoneCount: 3, driveSizeGiB: 1, setDriveCount: 4 });
    expect(plan.setCount).toBe(3);
    expect(plan.sets.map((s) => s.drivesPerZone)).toEqual([[2, 1, 1], [1, 2, 1], [1, 1, 2]]);
    expect(plan.survivesZoneLossForWrite).toBe(false);
  });

  it("follows MinIO's default parity by set size", () => {
    expect([2, 3, 4, 5, 6, 7, 8, 16].map(defaultParity)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('chooses the largest set size that divides the drives and stays symmetric with the zones', () => {
    expect(chooseSetDriveCount(6, 3)).toBe(6);
    expect(chooseSetDriveCount(12, 3)).toBe(12);
    expect(chooseSetDriveCount(24, 3)).toBe(12);
    expect(chooseSetDriveCount(48, 3)).toBe(12); // 16 divides 48 but is not symmetric with 3 zones
    expect(chooseSetDriveCount(3, 3)).toBe(3);
    expect(chooseSetDriveCount(17, 3)).toBeUndefined();
  });

  it('refuses parity above half the set and layouts that do not divide', () => {
    expect(() => planPool({ drives: symmetricPoolDrives(3, 1, 2), zoneCount: 3, driveSizeGiB: 1, parity: 4 })).toThrow(
      new ErasureLayoutError('parity EC:4 is above half of the 6-drive set: use a parity from 0 to 3'),
    );
    expect(() => planPool({ drives: symmetricPoolDrives(3, 1, 2), zoneCount: 3, driveSizeGiB: 1, setDriveCount: 4 })).toThrow(ErasureLayoutError);
  });
});

/**
 * MinIO's start-up rule for the parity of a multi-pool deployment, transcribed from its
 * code as the oracle for `planServerPools`:
 * - cmd/erasure-server-pool.go, newErasureServerPools: `commonParityDrives` starts at 0;
 *   for each pool in order, while it is 0 it becomes `ecDrivesNoConfig(ep.DrivesPerSet)`;
 *   then `storageclass.ValidateParity(commonParityDrives, ep.DrivesPerSet)` or MinIO exits
 *   with "parity validation returned an error ... for pool(<n>)".
 * - cmd/format-erasure.go, ecDrivesNoConfig: MINIO_STORAGE_CLASS_STANDARD when set, else
 *   internal/config/storageclass DefaultParityBlocks: 1 -> 0; 2, 3 -> 1; 4, 5 -> 2; 6, 7 -> 3; else 4.
 * - storageclass.ValidateParity: refused when parity > setDriveCount/2 (integer division).
 */
function minioStartup(setSizes: number[], standard?: number): { starts: true; parity: number } | { starts: false; pool: number } {
  const defaultParityBlocks = (drives: number) => (drives === 1 ? 0 : drives <= 3 ? 1 : drives <= 5 ? 2 : drives <= 7 ? 3 : 4);
  let common = 0;
  for (let i = 0; i < setSizes.length; i++) {
    if (common === 0) common = standard ?? defaultParityBlocks(setSizes[i]!);
    if (common > Math.trunc(setSizes[i]! / 2)) return { starts: false, pool: i };
  }
  return { starts: true, parity: common };
}

describe('one standard parity across pools (planServerPools)', () => {
  const pool = (serversPerAz: number, drivesPerServer: number) => ({
    drives: symmetricPoolDrives(3, serversPerAz, drivesPerServer),
    zoneCount: 3,
    driveSizeGiB: 10,
  });

  it('refuses the issue\'s layout: 6 drives then 3 drives, EC:3 from the first pool does not fit a 3-drive set', () => {
    expect(() => planServerPools([pool(1, 2), pool(1, 1)])).toThrow(
      new ErasureLayoutError(
        "its 3-drive sets cannot take EC:3, the default parity of the first pool's 6-drive sets that MinIO applies to every pool, so MinIO refuses to start: " +
          'set minio.parity to at most 1, or give pool 1 sets of at least 6 drives (more servers or drives per server)',
        1,
      ),
    );
    expect(minioStartup([6, 3])).toEqual({ starts: false, pool: 1 });
  });

  it('gives a later, larger pool the first pool\'s parity, and its quorums and capacity follow', () => {
    const plan = planServerPools([pool(1, 2), pool(2, 2)]);
    expect(plan.parity).toBe(3);
    expect(plan.paritySource).toBe('firstPoolDefault');
    // 12-drive sets alone would default to EC:4; under EC:3 they keep 9 data shards.
    expect(plan.pools[1]).toMatchObject({ setDriveCount: 12, parity: 3, dataShards: 9, readQuorum: 9, writeQuorum: 9 });
    expect(plan.pools[1]).toMatchObject({ tolerableDriveLossForWrite: 3, usableCapacityGiB: 90 });
    expect(plan.pools[0]).toMatchObject({ setDriveCount: 6, parity: 3, readQuorum: 3, writeQuorum: 4 });
  });

  it('recomputes the zone-loss verdicts under the common parity', () => {
    // Pool 1 alone (one server x 4 drives per AZ: one 12-drive set, 4 per AZ) would get EC:4
    // and survive an AZ loss for reads and writes; a first pool of 3-drive sets forces EC:1.
    const plan = planServerPools([pool(1, 1), pool(1, 4)]);
    expect(plan.parity).toBe(1);
    // Objects written before the loss need 11 of 12 drives; new ones are written at EC:5 on the 8 left (MinIO raises parity).
    expect(plan.pools[1]).toMatchObject({ setDriveCount: 12, parity: 1, survivesZoneLossForRead: false, survivesZoneLossForWrite: true });
    expect(toleranceShortfall(plan.pools[1]!, 'read')).toBe('an AZ holds 4 drives of a 12-drive set with EC:1, leaving 8 when it fails, below the read quorum of 11');
  });

  it('names the configured parity when it does not fit a later pool', () => {
    expect(() => planServerPools([pool(2, 2), pool(1, 2)], { parity: 4 })).toThrow(
      new ErasureLayoutError("EC:4 is above half of pool 1's 6-drive sets, so MinIO refuses to start (it applies one parity to every pool): use a parity from 0 to 3", 1, 'parity'),
    );
  });

  const shapes = [1, 2, 3, 4].flatMap((s) => [1, 2, 3, 4].map((d) => [s, d] as const));
  const sizeOf = ([s, d]: readonly [number, number]) => chooseSetDriveCount(3 * s * d, 3)!;

  it.each([undefined, 0, 1, 2, 3, 4, 5, 6, 8])('agrees with MinIO on every one- and two-pool layout (parity %s)', (standard) => {
    for (const a of shapes) {
      for (const b of [undefined, ...shapes]) {
        const layouts = b ? [a, b] : [a];
        const expected = minioStartup(layouts.map(sizeOf), standard);
        let actual: { starts: true; parity: number } | { starts: false; pool: number };
        try {
          actual = { starts: true, parity: planServerPools(layouts.map(([s, d]) => pool(s, d)), { parity: standard }).parity };
        } catch (err) {
          actual = { starts: false, pool: (err as ErasureLayoutError).pool! };
        }
        expect(actual, `pools ${JSON.stringify(layouts)}`).toEqual(expected);
      }
    }
  });

  it('agrees with MinIO on three-pool layouts', () => {
    for (const a of shapes) {
      for (const b of shapes) {
        for (const c of [shapes[0]!, shapes[5]!, shapes[15]!]) {
          const layouts = [a, b, c];
          const expected = minioStartup(layouts.map(sizeOf));
          let actual;
          try {
            const plan = planServerPools(layouts.map(([s, d]) => pool(s, d)));
            expect(plan.pools.every((p) => p.parity === plan.parity)).toBe(true);
            actual = { starts: true, parity: plan.parity };
          } catch (err) {
            actual = { starts: false, pool: (err as ErasureLayoutError).pool! };
          }
          expect(actual, `pools ${JSON.stringify(layouts)}`).toEqual(expected);
        }
      }
    }
  });
});

describe('writes with drives offline (MinIO raises the parity of new objects)', () => {
  // Transcribed from cmd/erasure-object.go putObject (availability-optimised storage class,
  // MinIO's default) and deleteObjectVersion, independently of writesSurviveOffline's shape.
  function minioAcceptsPutAndDelete(n: number, m: number, offline: number): boolean {
    let parity = m;
    for (let i = 0; i < offline; i++) parity++;
    if (offline >= Math.trunc((n + 1) / 2)) return false;
    if (parity >= Math.trunc(n / 2)) parity = Math.trunc(n / 2);
    const data = n - parity;
    const putQuorum = data === parity ? data + 1 : data;
    const deleteQuorum = Math.trunc(n / 2) + 1;
    return n - offline >= putQuorum && n - offline >= deleteQuorum;
  }

  it('agrees with MinIO for every set size, parity and number of offline drives', () => {
    for (let n = MIN_SET_SIZE; n <= MAX_SET_SIZE; n++) {
      for (let m = 0; m <= n / 2; m++) {
        for (let d = 0; d <= n; d++) {
          expect(writesSurviveOffline(n, m, d), `N=${n} EC:${m} offline ${d}`).toBe(minioAcceptsPutAndDelete(n, m, d));
        }
      }
    }
  });

  it('keeps writing while more than half of the set is online, whatever the standard parity', () => {
    expect(writesSurviveOffline(6, 1, 2)).toBe(true); // written at EC:3 on the 4 left
    expect(writesSurviveOffline(6, 1, 3)).toBe(false);
    expect(writesSurviveOffline(4, 2, 2)).toBe(false);
    expect(writesSurviveOffline(2, 1, 1)).toBe(false);
  });

  it('a 6-drive set at EC:1 laid out 2/2/2 loses its old objects with an AZ but takes new ones', () => {
    const plan = planPool({ drives: explicit([2, 2, 2]), zoneCount: 3, driveSizeGiB: 10, parity: 1 });
    expect(plan).toMatchObject({ readQuorum: 5, writeQuorum: 5, tolerableDriveLossForNewWrites: 2 });
    expect([plan.survivesZoneLossForRead, plan.survivesZoneLossForWrite]).toEqual([false, true]);
    expect(toleranceShortfall(plan, 'read')).toBe('an AZ holds 2 drives of a 6-drive set with EC:1, leaving 4 when it fails, below the read quorum of 5');
  });
});
