import type { EnvironmentPlan } from './plan.js';
import type { Problem } from './problems.js';

/** Where the runbook for changes a StatefulSet cannot take in place lives. */
export const EXPANSION_RUNBOOK = 'README.md, "Changing MinIO drives and pools"';

/** The parts of an earlier plan.json this check reads (older plans may lack some). */
interface PreviousPlan {
  readonly minio?: {
    readonly storageClass?: string;
    readonly statefulSetRevision?: number;
    readonly statefulSets?: { name: string; pool: number; replicas: number; drivesPerServer: number; driveSize: string }[];
  };
}

/**
 * Changes to MinIO's StatefulSets that Kubernetes or MinIO cannot take in place, found by
 * comparing the plan about to be deployed with the one deployed before (`plan.json`):
 *
 * - a volume claim template (drive size, drives per server, storage class): Kubernetes
 *   refuses any update of `spec.volumeClaimTemplates` ("updates to statefulset spec for
 *   fields other than ... are forbidden"), so the deploy would fail halfway;
 * - the servers of an existing pool: MinIO fixed the pool's erasure sets when it first
 *   formatted the drives and refuses to start with a different count; a pool grows only
 *   by adding another pool;
 * - a pool dropped: its objects go with it unless MinIO decommissions it first.
 *
 * Each problem names the field and points at the runbook. Returns none when there is no
 * earlier plan or it says nothing about MinIO.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#limitations
 * @see https://min.io/docs/minio/linux/operations/install-deploy-manage/expand-minio-deployment.html
 */
export function statefulSetChanges(previous: PreviousPlan, next: EnvironmentPlan): Problem[] {
  const before = previous.minio?.statefulSets;
  if (!before) return [];
  const problems: Problem[] = [];
  const recreated = next.minio.statefulSetRevision > (previous.minio?.statefulSetRevision ?? 0);
  const fix = (what: string) => `${what}, following the runbook in ${EXPANSION_RUNBOOK}`;
  const oldClass = previous.minio?.storageClass;
  if (oldClass !== undefined && oldClass !== next.minio.storageClass && before.length > 0) {
    problems.push({
      path: 'minio.storageClass',
      message: `changes from "${oldClass}" to "${next.minio.storageClass}", a volume claim template field Kubernetes does not update on a StatefulSet`,
      fix: fix(`keep "${oldClass}", or move the data to a new pool on the new class`),
    });
  }
  const seenPools = new Set<number>();
  for (const old of before) {
    const now = next.minio.statefulSets.find((s) => s.name === old.name);
    if (!now) {
      if (!seenPools.has(old.pool)) {
        seenPools.add(old.pool);
        problems.push({
          path: `minio.pools[${old.pool}]`,
          message: `is gone, and its StatefulSets with it (${old.name} first), which deletes the pool's objects`,
          fix: fix('put the pool back and decommission it with `mc admin decommission start` before removing it'),
        });
      }
      continue;
    }
    const at = `minio.pools[${now.pool}]`;
    // A raised revision says the runbook's grow-in-place was done: the StatefulSets were deleted
    // without their pods and come back with the new template. Only the drive size can go that way.
    if (now.driveSize !== old.driveSize && !recreated) {
      problems.push({
        path: `${at}.driveSize`,
        message: `changes from ${old.driveSize} to ${now.driveSize}, a volume claim template field Kubernetes does not update on a StatefulSet (${old.name})`,
        fix: fix(`keep ${old.driveSize} until the claims are grown in place and the StatefulSets deleted without their pods, then raise minio.statefulSetRevision`),
      });
    }
    if (now.drivesPerServer !== old.drivesPerServer) {
      problems.push({
        path: `${at}.drivesPerServer`,
        message: `changes from ${old.drivesPerServer} to ${now.drivesPerServer}: the volume claim templates of ${old.name} cannot change, and MinIO refuses a pool whose drives changed`,
        fix: fix(`keep ${old.drivesPerServer} and add a pool instead`),
      });
    }
    if (now.replicas !== old.replicas) {
      problems.push({
        path: `${at}.serversPerAz`,
        message: `changes from ${old.replicas} to ${now.replicas}: MinIO fixed this pool's erasure sets when it formatted its drives and refuses to start with another server count`,
        fix: fix(`keep ${old.replicas} and add a pool instead`),
      });
    }
  }
  // One line per field, not per StatefulSet of the pool.
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.path) ? false : (seen.add(p.path), true)));
}
