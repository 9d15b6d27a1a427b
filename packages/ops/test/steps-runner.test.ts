import { describe, expect, it } from 'vitest';
import type { DataPath, VerifyOutcome } from '../src/steps/data-path.js';
import { DataPathFailure, fillAndVerify } from '../src/steps/fill-and-verify.js';
import { StepFailure, StepRunner } from '../src/steps/runner.js';

type Step = 'check' | 'copy' | 'verify';

function runner() {
  let now = 1_000;
  const steps: StepRunner<Step> = new StepRunner<Step>({ first: 'check', now: () => now });
  return { steps, advance: (ms: number) => void (now += ms) };
}

describe('StepRunner', () => {
  it('times each step entered, in order, the current one up to now', () => {
    const { steps, advance } = runner();
    advance(5);
    steps.enter('copy');
    advance(30);
    steps.enter('copy');
    advance(10);
    steps.enter('verify');
    advance(2);
    expect(steps.timings()).toEqual([{ step: 'check', ms: 5 }, { step: 'copy', ms: 40 }, { step: 'verify', ms: 2 }]);
  });

  it('fails the step a run is in with what any error says, and keeps a failure that names its step', async () => {
    const { steps } = runner();
    await expect(steps.run('copy', () => Promise.reject(new TypeError('socket hang up')))).rejects.toMatchObject({ step: 'copy', message: 'socket hang up' });
    const named = new StepFailure<Step>('blob sha256:ab missing', 'verify');
    expect(steps.failure(named)).toBe(named);
    // A failure thrown without a step (as the LDAP check's are) is the current step's.
    expect(steps.failure(new StepFailure('no entry'))).toMatchObject({ step: 'copy', message: 'no entry' });
    expect(() => steps.fail('gone', 'check')).toThrow(expect.objectContaining({ step: 'check', message: 'gone' }));
  });

  it('runs a check of a later step in the current one but fails the later step', async () => {
    const { steps } = runner();
    await expect(steps.failsAs('verify', () => { throw new RangeError('no provisioning Job'); })).rejects.toMatchObject({ step: 'verify' });
    expect(steps.step).toBe('check');
    expect(steps.timings().map((t) => t.step)).toEqual(['check']);
  });
});

describe('fillAndVerify', () => {
  const copy = { inventory: '2026-11-24T01-30-00.000Z.json', takenAt: new Date('2026-11-24T01:30:00Z') };
  const targets = { s3: { endpoint: 'http://127.0.0.1:1', region: 'r', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' }, registry: { url: 'http://127.0.0.1:2' } };
  const verified: VerifyOutcome = { ok: true, summary: '3 artifacts verified', problems: [], artifactsChecked: 3, bytesHashed: 100 };
  function data(fill: Awaited<ReturnType<DataPath['restoreCopy']>>, verify: VerifyOutcome = verified) {
    const calls: string[] = [];
    const path: DataPath = {
      latestCopy: async () => copy,
      restoreCopy: async () => (calls.push('fill'), fill),
      verify: async () => (calls.push('verify'), verify),
    };
    return { path, calls };
  }

  it('fails fill-minio naming each blob missing from the copy, with what it copied, and does not verify', async () => {
    const { path, calls } = data({ objects: 4, bytes: 40, missing: ['sha256:aa'], failed: [{ key: 'docker/x', reason: 'reset' }] });
    const err = await fillAndVerify(path, copy, targets, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataPathFailure);
    expect(err).toMatchObject({ step: 'fill-minio', filled: { objects: 4, bytes: 40 }, message: 'the registry-data copy could not be restored: missing from the copy: blob sha256:aa; not copied: docker/x (reset)' });
    expect(calls).toEqual(['fill']);
  });

  it('only verifies when told not to fill (the MinIO was not restored), and fails verify with its problems', async () => {
    const bad = { ...verified, ok: false, summary: '1 of 3 failed', problems: ['missing blob sha256:bb'] };
    const { path, calls } = data({ objects: 0, bytes: 0, missing: [], failed: [] }, bad);
    const err = await fillAndVerify(path, copy, targets, () => {}, { fill: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ step: 'verify', message: '1 of 3 failed; missing blob sha256:bb', verify: bad, filled: undefined });
    expect(calls).toEqual(['verify']);
  });

  it('stops after the fill when the run is overdue', async () => {
    const { path, calls } = data({ objects: 1, bytes: 1, missing: [], failed: [] });
    await expect(fillAndVerify(path, copy, targets, () => {}, { overdue: () => 'past the deadline' })).rejects.toMatchObject({ step: 'fill-minio', message: 'past the deadline' });
    expect(calls).toEqual(['fill']);
  });
});
