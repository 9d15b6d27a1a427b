import { symmetricPoolDrives, type MinioPoolPlan } from '@harbor-platform/config';

/**
 * How many MinIO servers of a pool may be down at once, by choice (drains, node
 * upgrades), without any erasure set dropping below write quorum.
 *
 * A PodDisruptionBudget does not choose which pods go: any `u` servers may be
 * evicted together, and pods that are already unready count against the budget
 * too. So the worst case for a set is the `u` servers holding the most of its
 * drives. `u` is allowed when, for every set, those drives are no more than the
 * set can lose and still write (`tolerableDriveLossForWrite` = N - write quorum).
 * Reads need fewer drives than writes, so read quorum holds as well.
 *
 * Example (dev): 3 servers x 2 drives, one 6-drive set with EC:3, write quorum 4
 * (K + 1, since M = N/2): one server down leaves 4 drives, two leave 2, so u = 1.
 * Prod: 6 servers x 2 drives, one 12-drive set with EC:4, write quorum 8: u = 2.
 *
 * An AZ outage is not voluntary and a PDB cannot prevent it; the erasure plan's
 * `tolerateZoneLoss` check covers that case.
 */
export function maxUnavailableServers(pool: MinioPoolPlan, zoneCount: number): number {
  const perSet = drivesByServerInEachSet(pool, zoneCount);
  const budget = pool.tolerableDriveLossForWrite;
  let allowed = 0;
  for (let u = 1; u <= pool.servers; u++) {
    const worst = Math.max(...perSet.map((counts) => sumOfLargest(counts, u)));
    if (worst > budget) break;
    allowed = u;
  }
  return allowed;
}

/** For each erasure set, how many of its drives each server holds (index zone * serversPerAz + server). */
export function drivesByServerInEachSet(pool: MinioPoolPlan, zoneCount: number): number[][] {
  const drives = symmetricPoolDrives(zoneCount, pool.serversPerAz, pool.drivesPerServer);
  const sets: number[][] = [];
  drives.forEach((d, i) => {
    const set = Math.floor(i / pool.setDriveCount);
    sets[set] ??= new Array<number>(pool.servers).fill(0);
    sets[set][d.zone * pool.serversPerAz + d.server]!++;
  });
  return sets;
}

function sumOfLargest(values: number[], n: number): number {
  return [...values].sort((a, b) => b - a).slice(0, n).reduce((s, v) => s + v, 0);
}
