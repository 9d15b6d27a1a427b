import { describe, expect, it } from 'vitest';
import { FakeClock, FakeKube } from './support/fakes.js';
import type { JobState, WorkloadState } from '../src/kube/api.js';
import { jobOutcome, waitForJobs } from '../src/kube/jobs.js';
import { notReadyReason, waitForWorkloads } from '../src/kube/readiness.js';

const workload = (w: Partial<WorkloadState>): WorkloadState => ({ kind: 'StatefulSet', namespace: 'minio-drill', name: 'minio-pool0-zone0', replicas: 4, readyReplicas: 4, generation: 1, observedGeneration: 1, ...w });
const job = (j: Partial<JobState>): JobState => ({ namespace: 'minio-drill', name: 'minio-provisioning-abc-drill', active: 0, succeeded: 0, failed: 0, conditions: [], ...j });

describe('notReadyReason', () => {
  it('ready: every wanted replica ready on the current spec; a workload scaled to zero is ready', () => {
    expect(notReadyReason(workload({}))).toBeUndefined();
    expect(notReadyReason(workload({ kind: 'Deployment', name: 'harbor-core', replicas: 0, readyReplicas: 0 }))).toBeUndefined();
  });

  it('names an unobserved spec before the counts (the counts describe the old one)', () => {
    expect(notReadyReason(workload({ generation: 2, observedGeneration: 1 }))).toBe('statefulset minio-drill/minio-pool0-zone0: generation 2 not yet observed (at 1)');
    expect(notReadyReason(workload({ readyReplicas: 3 }))).toBe('statefulset minio-drill/minio-pool0-zone0: 3/4 ready');
  });
});

describe('jobOutcome', () => {
  it("reads Kubernetes' terminal conditions", () => {
    expect(jobOutcome(job({ succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }))).toEqual({ phase: 'succeeded' });
    expect(jobOutcome(job({ failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] }))).toEqual({
      phase: 'failed',
      reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    });
    expect(jobOutcome(job({ failed: 2, conditions: [{ type: 'Failed', status: 'True' }] }))).toEqual({ phase: 'failed', reason: '2 failed pod(s)' });
    // Failed pods below the backoff limit, or a condition that is not True, are still running.
    expect(jobOutcome(job({ active: 1, failed: 3, conditions: [{ type: 'Failed', status: 'False' }] }))).toEqual({ phase: 'running' });
  });
});

describe('the waits never pass their deadline', () => {
  it('workloads: the last read is at the deadline even when it is no multiple of the poll', async () => {
    const clock = new FakeClock();
    const kube = new FakeKube();
    kube.listWorkloads = async () => [workload({ readyReplicas: 1 })];
    const r = await waitForWorkloads(kube, ['minio-drill'], { clock, deadline: clock.now() + 25_000, pollMs: 10_000 });
    expect(r).toEqual({ ok: false, notReady: ['statefulset minio-drill/minio-pool0-zone0: 1/4 ready'] });
    expect(clock.sleeps).toEqual([10_000, 10_000, 5_000]);
  });

  it('jobs: none matching is its own outcome; a running one times out at the deadline', async () => {
    const clock = new FakeClock();
    const kube = new FakeKube();
    expect(await waitForJobs(kube, 'minio', 'app.kubernetes.io/name=minio-provisioning', { clock, deadline: clock.now() + 60_000 })).toEqual({ outcome: 'none' });
    kube.listJobs = async () => [job({ active: 1 })];
    expect(await waitForJobs(kube, 'minio-drill', 'x=y', { clock, deadline: clock.now() + 15_000, pollMs: 10_000 })).toEqual({ outcome: 'timeout', running: ['minio-drill/minio-provisioning-abc-drill'] });
    expect(clock.sleeps).toEqual([10_000, 5_000]);
  });
});
