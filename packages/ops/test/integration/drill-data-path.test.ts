import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryBackup } from '../../src/backup/index.js';
import { drillMarkdown } from '../../src/drill/report.js';
import type { DrillResult } from '../../src/drill/run.js';
import { RegistryClient, runSmoke, storageLayout } from '../../src/registry/index.js';
import { writeJobSummary } from '../../src/report/summary.js';
import { ObjectStore } from '../../src/s3/index.js';
import type { DataTargets } from '../../src/steps/data-path.js';
import { DataPathFailure, fillAndVerify } from '../../src/steps/fill-and-verify.js';
import { RegistryDataPath } from '../../src/steps/registry-data-path.js';
import { createBucket, deleteBucket, ensureStack, stackS3Client, startRegistry, type LocalStackEnv, type RegistryInstance } from '../support/local-stack.js';

/**
 * The drill's data path without Kubernetes, on the local stack (the backup store's MinIO + distribution):
 * a source registry -> registry-backup into a copy bucket -> the drill's RegistryDataPath
 * fills an empty bucket -> a second registry serves it -> verify -> the drill's report with
 * the RTO of that path. The same functions `harbor-platform drill` runs after Velero.
 */
describe('drill data path on the local stack', () => {
  const id = randomBytes(3).toString('hex');
  const buckets = { source: `drill-src-${id}`, copy: `drill-copy-${id}`, restoreA: `drill-rst-a-${id}`, restoreB: `drill-rst-b-${id}` };
  const registries: RegistryInstance[] = [];
  let env: LocalStackEnv;
  let pushed: { repository: string; manifestDigest: string; layer: string }[] = [];
  const log: string[] = [];

  const location = (bucket: string) => ({ bucket, prefix: '', endpoint: { endpoint: env.s3.endpoint, region: env.s3.region, accessKeyId: env.s3.accessKeyId, secretAccessKey: env.s3.secretAccessKey } });
  const targets = (bucket: string, registry: RegistryInstance): DataTargets => ({
    s3: { endpoint: env.s3.endpoint, region: env.s3.region, bucket, accessKeyId: env.s3.accessKeyId, secretAccessKey: env.s3.secretAccessKey },
    registry: { url: registry.url, username: env.registry.username, password: env.registry.password },
  });

  beforeAll(async () => {
    env = await ensureStack();
    for (const b of Object.values(buckets)) await createBucket(b);
    const source = await startRegistry({ name: `drill-src-${id}`, bucket: buckets.source });
    registries.push(source);
    const client = new RegistryClient({ url: source.url, credentials: { username: env.registry.username, password: env.registry.password } });
    for (const repository of ['drill/app', 'drill/base']) {
      const r = await runSmoke(client, { repository, tag: 'v1', size: 192 * 1024, keep: true });
      expect(r.ok).toBe(true);
      pushed.push({ repository, manifestDigest: r.manifestDigest, layer: r.blobs.find((b) => b.role === 'layer')!.digest });
    }
    const sourceStore = new ObjectStore(location(buckets.source));
    const backup = await registryBackup({ registry: client, source: sourceStore, target: new ObjectStore(location(buckets.copy)) });
    expect(backup.inventoryName).toBeDefined();
  }, 300_000);

  afterAll(async () => {
    for (const r of registries) await r.stop().catch(() => undefined);
    for (const b of Object.values(buckets)) await deleteBucket(b).catch(() => undefined);
  }, 120_000);

  it('restores the copy into an empty bucket, a second registry serves it, verify passes, the report carries the RTO', async () => {
    const data = new RegistryDataPath({ copy: location(buckets.copy), progress: (l) => log.push(l) });
    const copy = await data.latestCopy();
    expect(copy).toBeDefined();
    const second = await startRegistry({ name: `drill-rst-a-${id}`, bucket: buckets.restoreA });
    registries.push(second);

    const started = Date.now();
    const { filled, verify } = await fillAndVerify(data, copy!, targets(buckets.restoreA, second), (l) => log.push(l));
    const rtoMs = Date.now() - started;

    expect(verify.ok).toBe(true);
    expect(verify.problems).toEqual([]);
    expect(filled?.objects).toBeGreaterThan(0);
    // Every blob is re-hashed in a drill: at least both 192 KiB layers went through sha256.
    expect(verify.bytesHashed).toBeGreaterThanOrEqual(2 * 192 * 1024);
    // The second registry really serves the restored images.
    const client = new RegistryClient({ url: second.url, credentials: { username: env.registry.username, password: env.registry.password } });
    for (const p of pushed) expect((await client.tags(p.repository))).toContain('v1');

    const result: DrillResult = {
      environment: 'local',
      ok: true,
      backup: 'local data path (no Velero)',
      copy,
      filled,
      verify,
      rtoMs,
      rtoTargetMs: 60 * 60_000,
      rpoMs: Math.max(0, started - copy!.takenAt.getTime()),
      cleanup: { ok: true, problems: [], namespaces: [], volumes: [] },
    };
    const summary = join(mkdtempSync(join(tmpdir(), 'hp-summary-')), 'summary.md');
    expect(writeJobSummary(drillMarkdown(result), { GITHUB_STEP_SUMMARY: summary })).toBe(true);
    const written = readFileSync(summary, 'utf8');
    expect(written).toMatch(/## Restore drill of local: passed/);
    expect(written).toMatch(/\| RTO \(restore start to verified\) \| \d+\.\d min \(target 60\.0 min, met\) \|/);
    expect(written).toContain(copy!.inventory);
  });

  it('a blob removed from the copy fails the drill and names the digest', async () => {
    const { layer } = pushed[0]!;
    await stackS3Client(env).send(new DeleteObjectCommand({ Bucket: buckets.copy, Key: storageLayout.blobKey(layer as never) }));
    const data = new RegistryDataPath({ copy: location(buckets.copy) });
    const copy = (await data.latestCopy())!;
    const second = await startRegistry({ name: `drill-rst-b-${id}`, bucket: buckets.restoreB });
    registries.push(second);

    const failure = await fillAndVerify(data, copy, targets(buckets.restoreB, second), () => undefined).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DataPathFailure);
    expect((failure as DataPathFailure).step).toBe('fill-minio');
    expect((failure as DataPathFailure).message).toContain(`missing from the copy: blob ${layer}`);

    const report = drillMarkdown({ environment: 'local', ok: false, failedStep: 'fill-minio', reason: (failure as Error).message, copy, rtoTargetMs: 1, cleanup: { ok: true, problems: [], namespaces: [], volumes: [] } });
    expect(report).toContain(layer);
  });
});
