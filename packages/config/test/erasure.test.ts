import { describe, expect, it } from 'vitest';
import { chooseSetDriveCount, defaultParity, ErasureLayoutError, planPool, symmetricPoolDrives, toleranceShortfall, type DrivePosition } from '../src/erasure.js';

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
      'an AZ holds 2 drives of a 4-drive set with EC:2, leaving 2 when it fails, below the write quorum of 3',
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
