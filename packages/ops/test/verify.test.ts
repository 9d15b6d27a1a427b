import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from './support/memory-registry.js';
import { takeInventory } from '../src/inventory/take.js';
import type { Digest } from '../src/registry/digest.js';
import { planChecks, selectForHashing } from '../src/verify/plan.js';
import { formatVerifyReport } from '../src/verify/report.js';
import { VerifyAbortedError, verifyInventory } from '../src/verify/run.js';

const d = (c: string) => `sha256:${c.repeat(64)}` as Digest;

/** A registry with two repositories sharing nothing, and its inventory. */
async function populated() {
  const reg = new MemoryRegistry();
  const app = reg.pushImage('team/app', 'v1', [4000, 30]);
  const db = reg.pushImage('team/db', 'latest', [2000]);
  const inventory = await takeInventory(reg);
  return { reg, app, db, inventory };
}

describe('choosing the blobs to re-hash', () => {
  const digests = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a'].map(d);

  it('takes all of them with --all', () => {
    expect(selectForHashing(digests, { all: true }).size).toBe(10);
  });

  it('takes the rounded fraction, at least one, without repeats', () => {
    expect(selectForHashing(digests, { sample: 0.3 }).size).toBe(3);
    expect(selectForHashing(digests, { sample: 0.01 }).size).toBe(1);
    expect(selectForHashing(digests, { sample: 0 }).size).toBe(0);
    const picked = selectForHashing(digests, { sample: 0.5 }, () => 0.99);
    expect([...picked].every((x) => digests.includes(x))).toBe(true);
  });

  it('refuses a fraction outside 0..1', () => {
    expect(() => selectForHashing(digests, { sample: 1.5 })).toThrow(/from 0 to 1, got 1.5/);
  });

  it('hashes a blob shared by two repositories once and checks it exists in both', async () => {
    const reg = new MemoryRegistry();
    const img = reg.pushImage('a', 'v1', [10]);
    reg.putManifest('b', 'v1', img.manifest.bytes, img.manifest.mediaType);
    reg.repos.get('b')!.layers = new Set(reg.repos.get('a')!.layers);
    const checks = planChecks(await takeInventory(reg), { all: true });
    const layer = img.layers[0]!.descriptor.digest;
    expect(checks.filter((c) => c.kind === 'blob' && c.digest === layer).map((c) => c.kind === 'blob' && [c.repository, c.hash])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('proves a tagged manifest with the pull by tag, and pulls untagged ones by digest', async () => {
    const reg = new MemoryRegistry();
    const tagged = reg.pushImage('a', 'v1', [10]);
    const untagged = reg.pushImage('a', undefined, [11]);
    const checks = planChecks(await takeInventory(reg, { links: new Map([['a', { layers: [], revisions: [untagged.manifest.digest], tagHistory: {} }]]) }), { sample: 0 });
    expect(checks.filter((c) => c.kind !== 'blob')).toEqual([
      { kind: 'tag', repository: 'a', tag: 'v1', expected: tagged.manifest.digest, coversManifest: true },
      { kind: 'manifest', repository: 'a', digest: untagged.manifest.digest },
    ]);
  });

  it('starts the biggest transfers first', async () => {
    const { inventory, app } = await populated();
    const first = planChecks(inventory, { all: true })[0]!;
    expect(first).toMatchObject({ kind: 'blob', digest: app.layers[0]!.descriptor.digest, hash: true });
  });
});

describe('verifyInventory', () => {
  it('passes on an untouched registry, with the figures that count', async () => {
    const { reg, inventory } = await populated();
    const report = await verifyInventory(reg, inventory, { selection: { all: true } });
    expect(report.ok).toBe(true);
    expect(report.figures).toMatchObject({ repositories: 2, tags: 2, manifests: 2, blobs: 5, blobsHashed: 5, artifactsChecked: 9 });
    expect(report.figures.bytesHashed).toBe(inventory.totals.blobBytes + inventory.totals.manifestBytes);
    expect(formatVerifyReport(report)).toMatch(/^verified: 0 failure\(s\); checked 9 artifacts/m);
  });

  it('names a blob whose object is gone (404)', async () => {
    const { reg, inventory, app } = await populated();
    const lost = app.layers[1]!.descriptor.digest;
    reg.loseBlob(lost);
    const report = await verifyInventory(reg, inventory, { selection: { sample: 0 } });
    expect(report.ok).toBe(false);
    expect(report.missingBlobs).toEqual([{ repository: 'team/app', digest: lost, reason: 'the registry answers 404' }]);
    expect(formatVerifyReport(report)).toContain(`missing blob ${lost} in team/app`);
  });

  it('names a lost blob that a descriptor cache still announces, when it is re-hashed', async () => {
    const { reg, inventory, app } = await populated();
    const lost = app.layers[0]!.descriptor.digest;
    reg.loseBlob(lost, true);
    const report = await verifyInventory(reg, inventory, { selection: { all: true } });
    expect(report.missingBlobs.map((b) => b.digest)).toEqual([lost]);
    expect(report.missingBlobs[0]!.reason).toMatch(new RegExp(`announced ${app.layers[0]!.descriptor.size} bytes but sent none`));
  });

  it('names a blob overwritten with other bytes, with the digest it hashes to now', async () => {
    const { reg, inventory, db } = await populated();
    const bad = db.layers[0]!.descriptor.digest;
    reg.corruptBlob(bad);
    const report = await verifyInventory(reg, inventory, { selection: { all: true } });
    expect(report.corruptBlobs).toHaveLength(1);
    expect(report.corruptBlobs[0]).toMatchObject({ repository: 'team/db', digest: bad, expectedSize: db.layers[0]!.descriptor.size });
    expect(report.corruptBlobs[0]!.actual).toMatch(/^sha256:/);
    expect(report.corruptBlobs[0]!.actual).not.toBe(bad);
    expect(formatVerifyReport(report)).toContain(`corrupt blob ${bad} in team/db`);
  });

  it('names a tag re-pointed to another manifest, with both digests', async () => {
    const { reg, inventory, app, db } = await populated();
    reg.putManifest('team/app', undefined, db.manifest.bytes, db.manifest.mediaType);
    reg.repoint('team/app', 'v1', db.manifest.digest);
    const report = await verifyInventory(reg, inventory);
    expect(report.repointedTags).toEqual([{ repository: 'team/app', tag: 'v1', expected: app.manifest.digest, actual: db.manifest.digest }]);
    expect(formatVerifyReport(report)).toContain(`re-pointed tag team/app:v1: expected ${app.manifest.digest}, now ${db.manifest.digest}`);
  });

  it('still pulls the recorded manifest by digest when its tag was re-pointed', async () => {
    const { reg, inventory, app, db } = await populated();
    reg.putManifest('team/app', 'v1', db.manifest.bytes, db.manifest.mediaType);
    reg.repos.get('team/app')!.manifests.delete(app.manifest.digest);
    const report = await verifyInventory(reg, inventory);
    expect(report.repointedTags.map((t) => t.actual)).toEqual([db.manifest.digest]);
    expect(report.missingManifests).toEqual([{ repository: 'team/app', digest: app.manifest.digest }]);
  });

  it('names a missing manifest and the tag that lost it', async () => {
    const { reg, inventory, db } = await populated();
    reg.repos.get('team/db')!.manifests.delete(db.manifest.digest);
    const report = await verifyInventory(reg, inventory);
    expect(report.missingManifests).toEqual([{ repository: 'team/db', digest: db.manifest.digest }]);
    expect(report.missingTags).toEqual([{ repository: 'team/db', tag: 'latest', expected: db.manifest.digest }]);
  });

  it('reports extra repositories and tags without failing', async () => {
    const { reg, inventory } = await populated();
    reg.pushImage('team/new', 'v1', [5]);
    reg.pushImage('team/app', 'v2', [5]);
    const report = await verifyInventory(reg, inventory);
    expect(report.ok).toBe(true);
    expect(report.extra).toEqual({ repositories: ['team/new'], tags: [{ repository: 'team/app', tag: 'v2' }] });
  });

  it('stops with one error, never a hang, when the registry becomes unreachable', async () => {
    const { reg, inventory } = await populated();
    reg.unreachable = true;
    const err = await verifyInventory(reg, inventory, { selection: { all: true }, concurrency: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyAbortedError);
    expect((err as Error).message).toMatch(/^verification stopped after 0 of 7 checks: registry http:\/\/memory.test:5000 unreachable after 4 attempt\(s\): connect ECONNREFUSED/);
  });

  it('runs no further check once the registry failed', async () => {
    const { reg, inventory } = await populated();
    let calls = 0;
    const failing = {
      ...reg,
      url: reg.url,
      catalog: () => reg.catalog(),
      tags: (r: string) => reg.tags(r),
      getManifest: reg.getManifest.bind(reg),
      headBlob: reg.headBlob.bind(reg),
      hashBlob: async () => {
        calls++;
        throw new Error('registry answered 500');
      },
    };
    await expect(verifyInventory(failing, inventory, { selection: { all: true }, concurrency: 1 })).rejects.toThrow(/verification stopped/);
    expect(calls).toBe(1);
  });
});
