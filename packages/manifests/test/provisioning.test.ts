import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedEnvironment } from '@harbor-platform/config/testing';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, ofKind } from './util.js';
import { BUCKET_ACTIONS, MinioProvisioningChart, OBJECT_ACTIONS, POLICY_NAME, PROVISION_SCRIPT } from '../src/index.js';

/** MinioProvisioningChart alone, on the plan's MinIO section and the config's client image and Harbor credentials secret. */
function synth({ config, plan }: PlannedEnvironment): { objects: any[] } {
  return { objects: new MinioProvisioningChart(Testing.app(), 'minio-provisioning', { plan: { minio: plan.minio }, settings: config.minio }).toJson() };
}

const job = (objects: any[]) => ofKind(objects, 'Job')[0];
const policyOf = (objects: any[]) => JSON.parse(ofKind(objects, 'ConfigMap')[0].data['policy.json']);

describe('MinioProvisioningChart', () => {
  it('grants exactly the registry driver actions, on exactly the Harbor bucket', () => {
    const policy = policyOf(synth(environment()).objects);
    expect(policy.Statement).toHaveLength(2);
    const byResource = Object.fromEntries(policy.Statement.map((s: any) => [s.Resource.join(','), s]));
    expect(Object.keys(byResource).sort()).toEqual(['arn:aws:s3:::harbor-registry', 'arn:aws:s3:::harbor-registry/*']);
    expect(byResource['arn:aws:s3:::harbor-registry'].Action.sort()).toEqual(['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads']);
    expect(byResource['arn:aws:s3:::harbor-registry/*'].Action.sort()).toEqual(
      ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
    );
    for (const s of policy.Statement) expect(s.Effect).toBe('Allow');
    expect(JSON.stringify(policy)).not.toMatch(/"\*"|s3:\*|admin:|kms:/);
    expect([...BUCKET_ACTIONS, ...OBJECT_ACTIONS]).toHaveLength(8);
  });

  it('follows the configured bucket', () => {
    const policy = policyOf(synth(environment('dev', (raw) => (raw.minio.bucket = 'images'))).objects);
    expect(policy.Statement.flatMap((s: any) => s.Resource)).toEqual(['arn:aws:s3:::images', 'arn:aws:s3:::images/*']);
  });

  it('runs the pinned mc image against the in-cluster endpoint, with every credential from Secrets', () => {
    const dev = environment();
    const c = dev.config;
    const j = job(synth(dev).objects);
    const container = j.spec.template.spec.containers[0];
    expect(container.image).toBe(c.minio.clientImage);
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
    expect(env.MINIO_ENDPOINT.value).toBe('http://minio.minio.svc.cluster.local:9000');
    expect(env.BUCKET.value).toBe('harbor-registry');
    for (const name of ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD', 'HARBOR_ACCESS_KEY', 'HARBOR_SECRET_KEY']) {
      expect(env[name].value).toBeUndefined();
      expect(env[name].valueFrom.secretKeyRef.name).toMatch(/^minio-(root|harbor-user)$/);
    }
    expect(j.spec.activeDeadlineSeconds).toBeGreaterThan(0);
  });

  it('is idempotent step by step', () => {
    expect(PROVISION_SCRIPT).toContain('settled mb --ignore-existing');
    expect(PROVISION_SCRIPT).toContain(`settled admin policy create platform ${POLICY_NAME} /config/policy.json`);
    expect(PROVISION_SCRIPT).toMatch(/^set -eu$/m);
  });

  /**
   * The script under sh with a stand-in `mc` whose `admin policy attach` and `mb` answer, in
   * turn, the lines given (the real server's words), then succeed. Returns the exit code and
   * how often attach and mb were called.
   */
  function provisionWith(attachAnswers: string[], mbAnswers: string[] = []): { code: number; attaches: number; mbs: number; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), 'hp-provision-'));
    writeFileSync(join(dir, 'attach-answers'), attachAnswers.map((a) => `${a}\n`).join(''));
    writeFileSync(join(dir, 'mb-answers'), mbAnswers.map((a) => `${a}\n`).join(''));
    writeFileSync(join(dir, 'mc'), `#!/bin/sh
if [ "$1 $2 $3" = "admin policy attach" ]; then step=attach; elif [ "$1" = mb ]; then step=mb; else exit 0; fi
echo x >> "${dir}/$step-calls"
n=$(wc -l < "${dir}/$step-calls")
line=$(sed -n "\${n}p" "${dir}/$step-answers")
[ -n "$line" ] || exit 0
echo "$line" >&2; exit 1
`);
    writeFileSync(join(dir, 'sleep'), '#!/bin/sh\nexit 0\n');
    for (const f of ['mc', 'sleep']) chmodSync(join(dir, f), 0o755);
    const r = spawnSync('sh', ['-c', PROVISION_SCRIPT], {
      env: { PATH: `${dir}:${process.env.PATH}`, MINIO_ENDPOINT: 'http://minio:9000', MINIO_ROOT_USER: 'u', MINIO_ROOT_PASSWORD: 'p', BUCKET: 'b', HARBOR_ACCESS_KEY: 'AK', HARBOR_SECRET_KEY: 'SK' },
      encoding: 'utf8',
    });
    const calls = (step: string) => (existsSync(join(dir, `${step}-calls`)) ? readFileSync(join(dir, `${step}-calls`), 'utf8').trim().split('\n').length : 0);
    return { code: r.status ?? -1, attaches: calls('attach'), mbs: calls('mb'), stderr: r.stderr };
  }

  it('retries a step while the server that answers is not initialized yet (CI saw mb answered so after another server was ready), and only that', () => {
    const forming = 'mc: <ERROR> Unable to make bucket `platform/b`. Server not initialized yet, please try again.';
    expect(provisionWith([], [forming, forming])).toMatchObject({ code: 0, mbs: 3, attaches: 1 });
    expect(provisionWith([], ['mc: <ERROR> Access Denied.'])).toMatchObject({ code: 1, mbs: 1, attaches: 0, stderr: expect.stringContaining('Access Denied') });
    const forever = provisionWith([], Array(40).fill(forming));
    expect(forever).toMatchObject({ code: 1, mbs: 30, attaches: 0, stderr: expect.stringContaining('MinIO still not initialized after 30 attempts (mc mb)') });
  });

  it('retries attaching while the server that answers has not yet learnt of the new policy, and only then', () => {
    const unknown = 'mc: <ERROR> Unable to make user/group policy association. The canned policy does not exist. (Specified canned policy does not exist).';
    expect(provisionWith([unknown, unknown])).toMatchObject({ code: 0, attaches: 3 });
    // Already attached is success; another error stops at once; an unknown policy for good stops after a bound.
    expect(provisionWith(['mc: <ERROR> policy is already attached'])).toMatchObject({ code: 0, attaches: 1 });
    expect(provisionWith(['mc: <ERROR> Access Denied.'])).toMatchObject({ code: 1, attaches: 1, stderr: expect.stringContaining('Access Denied') });
    const forever = provisionWith(Array(40).fill(unknown));
    expect(forever).toMatchObject({ code: 1, attaches: 30, stderr: expect.stringContaining('still unknown to MinIO after 30 attempts') });
  });

  it('names the Job after its content, so a change runs a new Job and no change keeps it', () => {
    const a = job(synth(environment()).objects).metadata.name;
    expect(job(synth(environment()).objects).metadata.name).toBe(a);
    expect(job(synth(environment('dev', (raw) => (raw.minio.bucket = 'images'))).objects).metadata.name).not.toBe(a);
    expect(a).toMatch(/^minio-provisioning-[0-9a-f]{10}$/);
  });
});
