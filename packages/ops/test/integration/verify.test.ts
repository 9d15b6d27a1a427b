/**
 * `inventory` then `verify` against a real registry on its own bucket, and the faults verify
 * must name exactly: a blob object deleted from the bucket, a blob object overwritten, a tag
 * re-pointed, the registry stopped mid-verify.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInventory } from '../../src/inventory/format.js';
import type { RegistryClient } from '../../src/registry/client.js';
import type { Digest } from '../../src/registry/digest.js';
import { MEDIA_TYPES } from '../../src/registry/manifest.js';
import { blobKey } from '../../src/registry/storage-layout.js';
import type { SyntheticImage } from '../../src/registry/synthetic.js';
import type { ObjectStore } from '../../src/s3/store.js';
import { VerifyAbortedError, verifyInventory, type VerifyTarget } from '../../src/verify/run.js';
import { createBucket, deleteBucket, ensureStack, startRegistry, type LocalStackEnv, type RegistryInstance } from '../support/local-stack.js';
import { cliEnv, ensureCliBuilt, pushImage, runCli, stackRegistry, stackStore, uniqueName } from '../support/registry-tools.js';

let stack: LocalStackEnv;
let registry: RegistryInstance;
let client: RegistryClient;
let store: ObjectStore;
let app: SyntheticImage;
let other: SyntheticImage;
let index: Digest;
let inventoryFile: string;
const bucket = uniqueName('verify');
const dir = mkdtempSync(join(tmpdir(), 'verify-'));

beforeAll(async () => {
  stack = await ensureStack();
  ensureCliBuilt();
  await createBucket(bucket);
  registry = await startRegistry({ name: uniqueName('verify'), bucket });
  client = stackRegistry(stack, registry.url);
  store = stackStore(stack, bucket);
  app = await pushImage(client, 'team/app', 'v1', [300_000, 4_000]);
  other = await pushImage(client, 'team/app', 'v2', [200_000]);
  // A two-image index, so the inventory walks children too.
  const amd = await pushImage(client, 'team/multi', undefined, [50_000]);
  const arm = await pushImage(client, 'team/multi', undefined, [60_000]);
  const indexBytes = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [amd, arm].map((i) => ({ mediaType: MEDIA_TYPES.ociManifest, digest: i.manifest.digest, size: i.manifest.bytes.byteLength })),
  }));
  index = await client.putManifest('team/multi', 'latest', indexBytes, MEDIA_TYPES.ociIndex);
  inventoryFile = join(dir, 'inventory.json');
  const r = await runCli(['inventory', '--registry', registry.url, '--out', inventoryFile, '--json'], cliEnv(stack));
  expect(r.code, r.stderr).toBe(0);
});

afterAll(async () => {
  await registry?.stop();
  store?.client.destroy();
  await deleteBucket(bucket);
});

const verify = (...extra: string[]) => runCli(['verify', '--registry', registry.url, '--inventory', inventoryFile, '--all', ...extra], cliEnv(stack));

/** Runs `body` with the object at `key` changed, then puts the original bytes back. */
async function withObject(key: string, change: () => Promise<void>, body: () => Promise<void>) {
  const original = await store.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from(await original.Body!.transformToByteArray());
  await change();
  try {
    await body();
  } finally {
    await store.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  }
}

describe('inventory', () => {
  it('records repositories, tags, the index with its children, and blob sizes', async () => {
    const inv = await readInventory(inventoryFile);
    expect(inv.repositories.map((r) => r.name)).toEqual(['team/app', 'team/multi']);
    expect(inv.repositories[0]!.tags).toEqual({ v1: app.manifest.digest, v2: other.manifest.digest });
    expect(inv.repositories[1]!.tags).toEqual({ latest: index });
    expect(inv.repositories[1]!.manifests[index]!.manifests).toHaveLength(2);
    expect(inv.blobs[app.layers[0]!.descriptor.digest]).toBe(app.layers[0]!.descriptor.size);
    expect(inv.totals).toMatchObject({ repositories: 2, tags: 3, manifests: 5, blobs: 9 });
  });
});

describe('verify', () => {
  it('passes --all on the untouched registry and reports its figures', async () => {
    const r = await verify('--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const inv = await readInventory(inventoryFile);
    expect(report.ok).toBe(true);
    expect(report.figures).toMatchObject({ tags: 3, manifests: 5, blobsHashed: 9 });
    expect(report.figures.bytesHashed).toBe(inv.totals.blobBytes + inv.totals.manifestBytes);
  });

  it('names the blob whose object was deleted from the bucket', async () => {
    const lost = app.layers[1]!.descriptor.digest;
    await withObject(blobKey(lost), () => store.delete(blobKey(lost)), async () => {
      const r = await verify();
      expect(r.code).toBe(1);
      const failures = r.stdout.split('\n').filter((l) => /^(missing|corrupt|re-pointed)/.test(l));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(new RegExp(`^missing blob ${lost} in team/app: `));
    });
  });

  it('names the blob whose object was overwritten with other bytes', async () => {
    const bad = app.layers[0]!.descriptor.digest;
    const replacement = 'x'.repeat(app.layers[0]!.descriptor.size);
    await withObject(blobKey(bad), () => store.putText(blobKey(bad), replacement), async () => {
      const r = await verify('--json');
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      const actual = `sha256:${createHash('sha256').update(replacement).digest('hex')}`;
      expect(report.corruptBlobs).toEqual([expect.objectContaining({ repository: 'team/app', digest: bad, actual })]);
      expect(report.missingBlobs).toEqual([]);
    });
  });

  it('names a tag re-pointed to another manifest', async () => {
    await client.putManifest('team/app', 'v1', other.manifest.bytes, other.manifest.mediaType);
    try {
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`re-pointed tag team/app:v1: expected ${app.manifest.digest}, now ${other.manifest.digest}`);
    } finally {
      await client.putManifest('team/app', 'v1', app.manifest.bytes, app.manifest.mediaType);
    }
  });

  it('stops with a clear error, never a hang, when the registry stops during verify', async () => {
    const inv = await readInventory(inventoryFile);
    const stoppable = stackRegistry(stack, registry.url, 3_000);
    let calls = 0;
    // The real client, with the registry process killed after the third request has been answered.
    const target: VerifyTarget = {
      url: stoppable.url,
      catalog: () => stoppable.catalog(),
      tags: (r) => stoppable.tags(r),
      getManifest: (r, ref) => stoppable.getManifest(r, ref),
      headBlob: (r, d) => stoppable.headBlob(r, d),
      hashBlob: async (r, d) => {
        if (++calls === 3) await registry.stop();
        return stoppable.hashBlob(r, d);
      },
    };
    const started = Date.now();
    try {
      const err = await verifyInventory(target, inv, { selection: { all: true }, concurrency: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VerifyAbortedError);
      expect((err as Error).message).toMatch(new RegExp(`^verification stopped after \\d+ of \\d+ checks: registry ${registry.url} unreachable after 4 attempt\\(s\\): connect ECONNREFUSED`));
      expect(Date.now() - started).toBeLessThan(30_000);
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^harbor-platform verify: verify of ${registry.url} against .*inventory.json: verification stopped .* unreachable`));
      expect(r.ms).toBeLessThan(30_000);
    } finally {
      registry = await startRegistry({ name: registry.name, bucket, port: registry.port });
    }
  });
});

it('refuses an inventory that is not one, naming the file', async () => {
  const bogus = join(dir, 'bogus.json');
  writeFileSync(bogus, '{"format":"something-else"}');
  const r = await runCli(['verify', '--registry', registry.url, '--inventory', bogus], cliEnv(stack));
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe(`harbor-platform verify: ${bogus} is not a registry inventory (format "something-else", expected "harbor-platform/registry-inventory")`);
});
