import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from './support/memory-registry.js';
import { backupObjects, overlaps } from '../src/backup/backup.js';
import { inventoryName } from '../src/backup/inventories.js';
import { planPrune } from '../src/backup/prune.js';
import { planRestore } from '../src/backup/restore.js';
import { takeInventory } from '../src/inventory/take.js';
import type { Digest } from '../src/registry/digest.js';
import { blobKey, layerLinkKey, revisionLinkKey, tagCurrentKey, tagIndexKey } from '../src/registry/storage-layout.js';
import { parseS3Url } from '../src/s3/location.js';
import { ObjectStore, type StoredObject } from '../src/s3/store.js';

const at = (iso: string) => () => new Date(iso);

/** Blob objects for every blob the registry holds, as a backup copy would list them. */
function copyOf(reg: MemoryRegistry, without: Digest[] = []): Map<Digest, StoredObject> {
  return new Map([...reg.blobs].filter(([d]) => !without.includes(d)).map(([d, bytes]) => [d, { key: blobKey(d), size: bytes.byteLength, etag: 'x' }]));
}

/** Two inventories of one repository: v1 at `old`, then v1 re-pointed to `cur`. */
async function history() {
  const reg = new MemoryRegistry();
  const old = reg.pushImage('app', 'v1', [100]);
  const first = await takeInventory(reg, { now: at('2026-11-01T00:00:00Z') });
  const cur = reg.pushImage('app', 'v1', [200]);
  reg.repos.get('app')!.manifests.delete(old.manifest.digest); // the old manifest deleted, as a cleanup would
  const second = await takeInventory(reg, { now: at('2026-11-02T00:00:00Z') });
  return { reg, old, cur, first, second };
}

describe('restore planning', () => {
  it('rebuilds the links of the older inventory, so its tag points where it pointed then', async () => {
    const { reg, old, first } = await history();
    const plan = planRestore(first, copyOf(reg));
    const m = old.manifest.digest;
    expect(plan.missing).toEqual([]);
    expect(plan.links).toContainEqual({ key: tagCurrentKey('app', 'v1'), digest: m });
    expect(plan.links).toContainEqual({ key: tagIndexKey('app', 'v1', m), digest: m });
    expect(plan.links).toContainEqual({ key: revisionLinkKey('app', m), digest: m });
    for (const part of [old.config, ...old.layers]) expect(plan.links).toContainEqual({ key: layerLinkKey('app', part.descriptor.digest), digest: part.descriptor.digest });
    expect(plan.blobs.map((b) => b.key).sort()).toEqual([m, old.config.descriptor.digest, old.layers[0]!.descriptor.digest].map(blobKey).sort());
  });

  it('writes the tag current links last, after every blob and other link', async () => {
    const { reg, second } = await history();
    const links = planRestore(second, copyOf(reg)).links;
    const firstCurrent = links.findIndex((l) => l.key.endsWith('/current/link'));
    expect(firstCurrent).toBeGreaterThan(0);
    expect(links.slice(firstCurrent).every((l) => l.key.endsWith('/current/link'))).toBe(true);
  });

  it('keeps the recorded tag history of a tag that was re-pointed', async () => {
    const { reg, old, cur, second } = await history();
    const links = { layers: [], revisions: [], tagHistory: { v1: [old.manifest.digest, cur.manifest.digest] } };
    const withLinks = { ...second, repositories: second.repositories.map((r) => ({ ...r, links })) };
    const keys = planRestore(withLinks, copyOf(reg)).links.map((l) => l.key);
    expect(keys).toContain(tagIndexKey('app', 'v1', old.manifest.digest));
    expect(keys).toContain(tagIndexKey('app', 'v1', cur.manifest.digest));
  });

  it('names each blob the copy lacks, and writes no link to it', async () => {
    const { reg, cur, second } = await history();
    const lost = cur.layers[0]!.descriptor.digest;
    const plan = planRestore(second, copyOf(reg, [lost]));
    expect(plan.missing).toEqual([lost]);
    expect(plan.links.map((l) => l.key)).not.toContain(layerLinkKey('app', lost));
  });

  it('skips, without failing, a blob only a layer link named that the copy lacks', async () => {
    const { reg, second } = await history();
    const orphan = ('sha256:' + 'c'.repeat(64)) as Digest;
    const inv = { ...second, repositories: second.repositories.map((r) => ({ ...r, links: { layers: [orphan], revisions: [], tagHistory: {} } })) };
    const plan = planRestore(inv, copyOf(reg));
    expect(plan.missing).toEqual([]);
    expect(plan.skipped).toEqual([orphan]);
  });
});

describe('prune planning', () => {
  it('with --keep 1 removes exactly the blobs the newest inventory no longer references', async () => {
    const { reg, old, second, first } = await history();
    const plan = planPrune([inventoryName(second.takenAt), inventoryName(first.takenAt)], [second], [...reg.blobs.keys()], 1);
    expect(plan.blobs).toEqual([old.manifest.digest, old.config.descriptor.digest, old.layers[0]!.descriptor.digest].sort());
    expect(plan.inventories).toEqual([inventoryName(first.takenAt)]);
  });

  it('with --keep 2 keeps what either inventory references', async () => {
    const { reg, first, second } = await history();
    const plan = planPrune([inventoryName(second.takenAt), inventoryName(first.takenAt)], [second, first], [...reg.blobs.keys()], 2);
    expect(plan).toEqual({ blobs: [], inventories: [] });
  });

  it('refuses a keep below 1', () => {
    expect(() => planPrune([], [], [], 0)).toThrow(/--keep: "0" is not a whole number of at least 1: use e.g. 1/);
  });
});

describe('backup runs', () => {
  it('refuse a target inside the source, or the other way round', () => {
    const store = (url: string, endpoint = 'http://127.0.0.1:7480') => new ObjectStore(parseS3Url(url, { endpoint }));
    expect(overlaps(store('s3://registry'), store('s3://registry/backup'))).toBe(true);
    expect(overlaps(store('s3://registry/a'), store('s3://registry'))).toBe(true);
    expect(overlaps(store('s3://registry/a'), store('s3://registry/ab'))).toBe(false);
    expect(overlaps(store('s3://registry'), store('s3://backup'))).toBe(false);
    expect(overlaps(store('s3://registry'), store('s3://registry', 'https://s3.eu-west-1.amazonaws.com:443'))).toBe(false);
  });

  it('name inventories by time so that names sort by age', () => {
    const names = ['2026-11-02T00:00:00.000Z', '2026-10-30T23:59:59.999Z', '2026-11-01T12:00:00.000Z'].map(inventoryName);
    expect(names[0]).toBe('2026-11-02T00-00-00.000Z.json');
    expect([...names].sort()).toEqual([names[1], names[2], names[0]]);
  });

  it("carry the registry's tree but not unfinished uploads or foreign objects", () => {
    const keys = [
      'docker/registry/v2/blobs/sha256/45/45808cbbe748300a958c5ec90ad85cb33dfcc38c1c36aeb463eb8aa8f178f9bc/data',
      'docker/registry/v2/repositories/app/_uploads/0b1c/data',
      'docker/registry/v2/repositories/app/_manifests/tags/v1/current/link',
      'inventories/2026.json',
    ];
    expect(backupObjects(keys.map((key) => ({ key, size: 1, etag: 'e' }))).map((o) => o.key)).toEqual([keys[0], keys[2]]);
  });
});
