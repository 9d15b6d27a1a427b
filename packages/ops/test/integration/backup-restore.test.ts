/**
 * The restore rehearsal on real parts: registry-backup from a registry's bucket into a second
 * bucket, registry-restore into a third, a second registry on the third, verify against the
 * stored inventory. Then incremental runs, an older tag state restored, a blob missing from
 * the copy, and pruning. The steps build on each other, in order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_FOLDER, listInventories, loadInventory } from '../../src/backup/inventories.js';
import { referencedDigests, writeInventory } from '../../src/inventory/format.js';
import type { RegistryClient } from '../../src/registry/client.js';
import type { Digest } from '../../src/registry/digest.js';
import { blobKey, classifyKey, V2_ROOT } from '../../src/registry/storage-layout.js';
import type { SyntheticImage } from '../../src/registry/synthetic.js';
import type { ObjectStore } from '../../src/s3/store.js';
import { createBucket, deleteBucket, ensureStack, startRegistry, type LocalStackEnv, type RegistryInstance } from '../support/local-stack.js';
import { cliEnv, ensureCliBuilt, pushImage, runCli, stackRegistry, stackStore, uniqueName } from '../support/registry-tools.js';

let stack: LocalStackEnv;
let source: RegistryInstance;
let client: RegistryClient;
let copy: ObjectStore;
let a: SyntheticImage;
let b: SyntheticImage;
let firstInventory: string;
const id = uniqueName('rh');
const buckets = { source: `${id}-src`, copy: `${id}-copy` };
const extraBuckets: string[] = [];
const registries: RegistryInstance[] = [];
const dir = mkdtempSync(join(tmpdir(), 'rehearsal-'));

beforeAll(async () => {
  stack = await ensureStack();
  ensureCliBuilt();
  await createBucket(buckets.source);
  await createBucket(buckets.copy);
  source = await startRegistry({ name: `${id}-src`, bucket: buckets.source });
  registries.push(source);
  client = stackRegistry(stack, source.url);
  copy = stackStore(stack, buckets.copy);
  a = await pushImage(client, 'team/app', 'v1', [150_000, 3_000]);
  await pushImage(client, 'team/lib', '1.0', [100_000]);
});

afterAll(async () => {
  for (const r of registries) await r.stop().catch(() => undefined);
  copy?.client.destroy();
  for (const bucket of [buckets.source, buckets.copy, ...extraBuckets]) await deleteBucket(bucket);
});

const env = () => cliEnv(stack);
const backup = (...extra: string[]) =>
  runCli(['registry-backup', '--registry', source.url, '--source', `s3://${buckets.source}`, '--target', `s3://${buckets.copy}`, '--json', ...extra], env());

/** A fresh empty bucket, restored into from the copy; then a registry on it. */
async function restoreInto(extra: string[], processEnv = env()) {
  const bucket = `${id}-r${extraBuckets.length}`;
  extraBuckets.push(bucket);
  await createBucket(bucket);
  const r = await runCli(['registry-restore', '--source', `s3://${buckets.copy}`, '--target', `s3://${bucket}`, ...extra], processEnv);
  const registry = await startRegistry({ name: bucket, bucket });
  registries.push(registry);
  return { r, registry };
}

/** Writes a stored inventory to a file for `verify --inventory`. */
async function inventoryFile(name: string): Promise<string> {
  const file = join(dir, name);
  await writeInventory(file, await loadInventory(copy, name));
  return file;
}

async function copyBlobs(): Promise<Digest[]> {
  return (await copy.list(`${V2_ROOT}/blobs/`)).map((o) => classifyKey(o.key)).flatMap((c) => (c.kind === 'blob' ? [c.digest] : [])).sort();
}

describe('restore rehearsal', () => {
  it("registry-backup copies every object of the registry's bucket and stores the inventory beside it", async () => {
    const r = await backup();
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    const sourceObjects = await stackStore(stack, buckets.source).list(`${V2_ROOT}/`);
    expect(result.copied).toBe(sourceObjects.length);
    expect(result.failed).toEqual([]);
    const copied = (await copy.list(`${V2_ROOT}/`)).map((o) => [o.key, o.size]);
    expect(copied).toEqual(sourceObjects.map((o) => [o.key, o.size]));
    firstInventory = result.inventory;
    expect(await listInventories(copy)).toEqual([firstInventory]);
    expect((await loadInventory(copy, firstInventory)).totals).toMatchObject({ repositories: 2, tags: 2, manifests: 2, blobs: 5 });
  });

  it('a second run over the unchanged registry copies zero objects', async () => {
    const r = await backup();
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.copied).toBe(0);
    expect(result.unchanged).toBeGreaterThan(10);
    expect(await listInventories(copy)).toHaveLength(2);
  });

  it('registry-restore into an empty bucket gives a registry that passes verify --all against the stored inventory', async () => {
    // Another endpoint spelling for the target, so the objects stream through the CLI instead of a server-side copy.
    const { r, registry } = await restoreInto(['--json'], cliEnv(stack, { HARBOR_PLATFORM_TARGET_S3_ENDPOINT: stack.s3.endpoint.replace('127.0.0.1', 'localhost') }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, repositories: 2, tags: 2, manifests: 2, blobObjects: 7, missing: [] });
    const v = await runCli(['verify', '--registry', registry.url, '--inventory', await inventoryFile(firstInventory), '--all'], env());
    expect(v.stdout).toMatch(/^verified: 0 failure\(s\); checked 9 artifacts/m);
    expect(v.code).toBe(0);
  });

  it('restoring the older inventory brings back the older tag target after the tag was re-pointed and backed up', async () => {
    b = await pushImage(client, 'team/app', 'v1', [120_000]); // re-points team/app:v1
    const r = await backup();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).copied).toBeGreaterThan(0);
    const { r: restored, registry } = await restoreInto(['--inventory', firstInventory]);
    expect(restored.code, restored.stdout).toBe(0);
    const head = await stackRegistry(stack, registry.url).headManifest('team/app', 'v1');
    expect(head?.digest).toBe(a.manifest.digest);
    const v = await runCli(['verify', '--registry', registry.url, '--inventory', await inventoryFile(firstInventory), '--all'], env());
    expect(v.code, v.stdout).toBe(0);
  });

  it('fails naming the digest when a blob was removed from the copy before the restore', async () => {
    const lost = a.layers[0]!.descriptor.digest;
    await copy.delete(blobKey(lost));
    const { r, registry } = await restoreInto(['--inventory', firstInventory]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`MISSING from the copy: blob ${lost}`);
    const v = await runCli(['verify', '--registry', registry.url, '--inventory', await inventoryFile(firstInventory), '--all'], env());
    expect(v.code).toBe(1);
    expect(v.stdout.split('\n').filter((l) => /^(missing|corrupt)/.test(l))).toEqual([expect.stringMatching(new RegExp(`^missing blob ${lost} in team/app: `))]);
    // The next backup run repairs the copy: exactly that object is copied again.
    const again = await backup();
    expect(JSON.parse(again.stdout).copiedObjects.map((o: { key: string }) => o.key)).toEqual([blobKey(lost)]);
  });

  it('--prune --keep 1 removes exactly the blobs the newest inventory no longer references', async () => {
    await client.deleteManifest('team/app', a.manifest.digest); // image a leaves the registry
    const before = await copyBlobs();
    const r = await backup('--prune', '--keep', '1');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    const newest = await loadInventory(copy, result.inventory);
    const referenced = referencedDigests(newest);
    const expected = before.filter((d) => !referenced.has(d));
    expect(expected).toEqual(expect.arrayContaining([a.manifest.digest, a.config.descriptor.digest, ...a.layers.map((l) => l.descriptor.digest)]));
    expect(result.pruned.blobs).toEqual(expected);
    expect(await copyBlobs()).toEqual(before.filter((d) => referenced.has(d)));
    expect(referenced.has(b.manifest.digest)).toBe(true);
    expect(await listInventories(copy)).toEqual([result.inventory]);
    expect((await copy.list(`${INVENTORY_FOLDER}/`)).map((o) => o.key)).toEqual([`${INVENTORY_FOLDER}/${result.inventory}`]);
  });
});
