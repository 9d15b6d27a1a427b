import type { KubeApi, WorkloadState } from './api.js';
import type { WaitOptions } from '../velero/wait.js';

/**
 * Why a Deployment or StatefulSet is not ready yet, or undefined when it is: its
 * controller has seen the current spec (observedGeneration >= generation) and every
 * wanted replica is ready (readyReplicas >= replicas). A workload scaled to zero is ready.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status
 */
export function notReadyReason(w: WorkloadState): string | undefined {
  const what = `${w.kind.toLowerCase()} ${w.namespace}/${w.name}`;
  if (w.observedGeneration < w.generation) return `${what}: generation ${w.generation} not yet observed (at ${w.observedGeneration})`;
  if (w.readyReplicas < w.replicas) return `${what}: ${w.readyReplicas}/${w.replicas} ready`;
  return undefined;
}

export type WorkloadsWait = { readonly ok: true; readonly workloads: number } | { readonly ok: false; readonly notReady: string[] };

/**
 * Reads every Deployment and StatefulSet of the namespaces until all are ready or the
 * deadline passes (never later), with one progress line per read naming what is not
 * ready. On the deadline it returns what was still not ready, each with its counts.
 */
export async function waitForWorkloads(kube: KubeApi, namespaces: readonly string[], o: WaitOptions): Promise<WorkloadsWait> {
  const pollMs = o.pollMs ?? 10_000;
  const started = o.clock.now();
  for (;;) {
    const workloads: WorkloadState[] = [];
    for (const ns of namespaces) workloads.push(...(await kube.listWorkloads(ns)));
    const notReady = workloads.map(notReadyReason).filter((r): r is string => r !== undefined);
    const after = `after ${Math.round((o.clock.now() - started) / 1000)}s`;
    if (!notReady.length) {
      o.progress?.(`all ${workloads.length} restored workloads in ${namespaces.join(', ')} are ready ${after}`);
      return { ok: true, workloads: workloads.length };
    }
    o.progress?.(`waiting for ${notReady.length} of ${workloads.length} workloads ${after}: ${notReady.slice(0, 10).join('; ')}${notReady.length > 10 ? '; ...' : ''}`);
    const left = o.deadline - o.clock.now();
    if (left <= 0) return { ok: false, notReady };
    await o.clock.sleep(Math.min(pollMs, left));
  }
}
