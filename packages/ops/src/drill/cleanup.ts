import type { EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';
import type { KubeApi } from '../kube/api.js';
import type { Clock } from '../velero/wait.js';

export interface CleanupResult {
  readonly ok: boolean;
  readonly problems: string[];
  /** Drill namespaces that existed and were deleted. */
  readonly namespaces: string[];
  readonly volumes: string[];
}

/** Upper bound of one clean-up (namespace finalizers, volume detach). */
export const CLEANUP_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 5_000;

/**
 * Deletes the drill namespaces, their volumes (disks included: Retain is switched to
 * Delete first) and the drill's modifier ConfigMap. Idempotent; collects every problem
 * instead of stopping at the first, and never waits past CLEANUP_TIMEOUT_MS.
 */
export async function cleanUpDrill(
  kube: KubeApi,
  plan: EnvironmentPlan,
  veleroNamespace: string,
  modifiersName: string,
  clock: Clock,
  progress: (l: string) => void,
): Promise<CleanupResult> {
  const drillNs = new Set(plan.drill.namespaces);
  const problems: string[] = [];
  const attempt = async (what: string, op: () => Promise<unknown>) => {
    try {
      await op();
    } catch (err) {
      problems.push(`${what}: ${(err as Error).message}`);
    }
  };
  const deadline = clock.now() + CLEANUP_TIMEOUT_MS;

  const present: string[] = [];
  for (const ns of drillNs) await attempt(`read namespace ${ns}`, async () => (await kube.namespaceExists(ns)) && present.push(ns));
  let volumes: string[] = [];
  await attempt('list volumes', async () => (volumes = (await kube.listVolumes()).filter((v) => v.claimNamespace && drillNs.has(v.claimNamespace)).map((v) => v.name)));
  if (present.length || volumes.length) progress(`clean-up: deleting ${[...present, ...volumes.map((v) => `pv/${v}`)].join(', ')}`);
  for (const v of volumes) await attempt(`set reclaim policy of ${v}`, () => kube.setReclaimDelete(v));
  for (const ns of present) await attempt(`delete namespace ${ns}`, () => kube.deleteNamespace(ns));

  await attempt('wait for the drill namespaces to go', async () => {
    for (;;) {
      const left: string[] = [];
      for (const ns of present) if (await kube.namespaceExists(ns)) left.push(ns);
      if (!left.length) return;
      if (clock.now() >= deadline) throw new DrillError(`still present after ${CLEANUP_TIMEOUT_MS / 60_000} min: ${left.join(', ')}`);
      progress(`clean-up: waiting for ${left.join(', ')} to be deleted`);
      await clock.sleep(POLL_MS);
    }
  });
  // Volumes of deleted claims normally go with them; delete what is left.
  await attempt('delete left-over volumes', async () => {
    for (;;) {
      const left = (await kube.listVolumes()).filter((v) => volumes.includes(v.name) || (v.claimNamespace && drillNs.has(v.claimNamespace)));
      if (!left.length) return;
      for (const v of left) await kube.deleteVolume(v.name);
      if (clock.now() >= deadline) throw new DrillError(`still present: ${left.map((v) => v.name).join(', ')}`);
      await clock.sleep(POLL_MS);
    }
  });
  await attempt(`delete ConfigMap ${veleroNamespace}/${modifiersName}`, () => kube.deleteConfigMap(veleroNamespace, modifiersName));
  return { ok: problems.length === 0, problems, namespaces: present, volumes };
}
