import type { JobState, KubeApi } from './api.js';
import type { WaitOptions } from '../velero/wait.js';

/** Where a Job is: finished well, finished badly (with Kubernetes' reason), or not finished. */
export type JobOutcome = { readonly phase: 'succeeded' } | { readonly phase: 'failed'; readonly reason: string } | { readonly phase: 'running' };

/**
 * A Job's outcome from its conditions: `Complete` True is success, `Failed` True is
 * failure (reason such as BackoffLimitExceeded or DeadlineExceeded, and its message).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#terminal-job-conditions
 */
export function jobOutcome(j: JobState): JobOutcome {
  const isTrue = (type: string) => j.conditions.find((c) => c.type === type && c.status === 'True');
  if (isTrue('Complete')) return { phase: 'succeeded' };
  const failed = isTrue('Failed');
  if (failed) return { phase: 'failed', reason: [failed.reason, failed.message].filter(Boolean).join(': ') || `${j.failed} failed pod(s)` };
  return { phase: 'running' };
}

export type JobsWait =
  | { readonly outcome: 'succeeded'; readonly jobs: string[] }
  | { readonly outcome: 'failed'; readonly job: string; readonly reason: string }
  | { readonly outcome: 'timeout'; readonly running: string[] }
  | { readonly outcome: 'none' };

/**
 * Waits until every Job of the namespace that matches the selector has succeeded; the
 * first failed one ends the wait with its name and reason, and so does the deadline.
 * No matching Job at all is its own outcome: the caller decides whether that is wrong.
 */
export async function waitForJobs(kube: KubeApi, namespace: string, labelSelector: string, o: WaitOptions): Promise<JobsWait> {
  const pollMs = o.pollMs ?? 10_000;
  const started = o.clock.now();
  for (;;) {
    const jobs = await kube.listJobs(namespace, labelSelector);
    if (!jobs.length) return { outcome: 'none' };
    const outcomes = jobs.map((j) => ({ name: `${namespace}/${j.name}`, job: j, outcome: jobOutcome(j) }));
    const failed = outcomes.find((x) => x.outcome.phase === 'failed');
    if (failed && failed.outcome.phase === 'failed') return { outcome: 'failed', job: failed.name, reason: failed.outcome.reason };
    const running = outcomes.filter((x) => x.outcome.phase === 'running');
    const after = `after ${Math.round((o.clock.now() - started) / 1000)}s`;
    if (!running.length) {
      o.progress?.(`job ${outcomes.map((x) => x.name).join(', ')} succeeded ${after}`);
      return { outcome: 'succeeded', jobs: outcomes.map((x) => x.name) };
    }
    o.progress?.(`waiting for job ${running.map((x) => `${x.name} (${x.job.active} active, ${x.job.failed} failed pod(s))`).join(', ')} ${after}`);
    const left = o.deadline - o.clock.now();
    if (left <= 0) return { outcome: 'timeout', running: running.map((x) => x.name) };
    await o.clock.sleep(Math.min(pollMs, left));
  }
}
