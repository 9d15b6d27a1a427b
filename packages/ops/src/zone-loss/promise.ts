import { writesSurviveOffline, type EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';

/** What the plan promises while one AZ's MinIO servers are away. */
export interface ZoneLossPromise {
  /** Every object written before the loss stays readable: each erasure set keeps its data shards. */
  readonly read: boolean;
  /** New objects are written: each set keeps more than half of its drives (MinIO raises the parity). */
  readonly write: boolean;
  /** One line: per pool, the drives of each set left and the quorum they meet. */
  readonly because: string;
}

/**
 * The plan's promise for the loss of zone `zone` (index into aws.availabilityZones), counted
 * set by set from the drives each erasure set has in that zone: reads survive where the
 * drives left hold the data shards (K = N - M), writes where MinIO may still write at a
 * raised parity (writesSurviveOffline). For a symmetric layout every zone gives the verdict
 * of `survivesZoneLossForRead/Write`; a set with more drives in one zone is judged by that zone.
 * @see https://min.io/docs/minio/linux/operations/concepts/erasure-coding.html
 */
export function zoneLossPromise(plan: EnvironmentPlan, zone: number): ZoneLossPromise {
  const zones = plan.aws.availabilityZones.length;
  if (!Number.isInteger(zone) || zone < 0 || zone >= zones) throw new DrillError(`zone ${zone}: give an index from 0 to ${zones - 1} (the order of aws.availabilityZones)`);
  let read = true;
  let write = true;
  const parts = plan.minio.pools.map((p, i) => {
    const away = Math.max(...p.sets.map((s) => s.drivesPerZone[zone] ?? 0));
    const left = p.setDriveCount - away;
    const poolRead = p.sets.every((s) => p.setDriveCount - (s.drivesPerZone[zone] ?? 0) >= p.dataShards);
    const poolWrite = p.sets.every((s) => writesSurviveOffline(p.setDriveCount, p.parity, s.drivesPerZone[zone] ?? 0));
    read &&= poolRead;
    write &&= poolWrite;
    const name = plan.minio.pools.length > 1 ? `pool ${i}: ` : '';
    return `${name}${left} of ${p.setDriveCount} drives of a set left at worst (EC:${p.parity}, ${p.dataShards} data shards): reads ${poolRead ? 'survive' : 'stop'}, writes ${poolWrite ? 'survive' : 'stop'}`;
  });
  return { read, write, because: parts.join('; ') };
}

/** How the drill picks the AZ it takes away. */
export type ZoneChoice = 'rotate' | string;

/**
 * The AZ to take away: a named one (`velero.drill.zoneLoss.zone`), or by rotation, the
 * UTC day number modulo the AZ count. Rotation proves every AZ in turn (its nodes, volumes
 * and StatefulSets) over consecutive nightly drills, and a rerun on the same day takes the
 * same AZ, so a failure can be reproduced.
 */
export function chooseZone(plan: EnvironmentPlan, choice: ZoneChoice, at: number): { zone: number; why: string } {
  const azs = plan.aws.availabilityZones;
  if (choice !== 'rotate') {
    const zone = azs.indexOf(choice);
    if (zone < 0) throw new DrillError(`velero.drill.zoneLoss.zone: "${choice}" is not one of aws.availabilityZones (${azs.join(', ')}): name one of them or "rotate"`);
    return { zone, why: 'named in velero.drill.zoneLoss.zone' };
  }
  const day = Math.floor(at / 86_400_000);
  return { zone: day % azs.length, why: `rotation: UTC day ${day} mod ${azs.length} AZs` };
}
