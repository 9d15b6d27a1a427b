import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from './support/memory-registry.js';
import { inventoryJson, parseInventory, readInventory, referencedDigests, writeInventory } from '../src/inventory/format.js';
import { takeInventory } from '../src/inventory/take.js';
import type { Digest } from '../src/registry/digest.js';

const now = () => new Date('2026-11-25T10:00:00.000Z');

describe('takeInventory', () => {
  it('records every repository, tag and manifest with the blobs it references and their sizes', async () => {
    const reg = new MemoryRegistry();
    const app = reg.pushImage('team/app', 'v1', [1000, 20]);
    reg.pushImage('team/db', 'latest', [500]);
    const inv = await takeInventory(reg, { now });
    expect(inv.format).toBe('harbor-platform/registry-inventory');
    expect(inv.formatVersion).toBe(1);
    expect(inv.takenAt).toBe('2026-11-25T10:00:00.000Z');
    expect(inv.repositories.map((r) => r.name)).toEqual(['team/app', 'team/db']);
    const repo = inv.repositories[0]!;
    expect(repo.tags).toEqual({ v1: app.manifest.digest });
    expect(repo.manifests[app.manifest.digest]).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: app.manifest.bytes.byteLength,
      blobs: [app.config.descriptor.digest, ...app.layers.map((l) => l.descriptor.digest)],
      manifests: [],
    });
    expect(inv.blobs[app.layers[0]!.descriptor.digest]).toBe(app.layers[0]!.descriptor.size);
    expect(inv.totals).toMatchObject({ repositories: 2, tags: 2, manifests: 2, blobs: 5 });
    expect(inv.totals.blobBytes).toBe(Object.values(inv.blobs).reduce((a, b) => a + b, 0));
  });

  it('walks an image index into its children', async () => {
    const reg = new MemoryRegistry();
    const amd = reg.pushImage('multi', undefined, [10]);
    const arm = reg.pushImage('multi', undefined, [11]);
    const index = reg.pushIndex('multi', 'v1', [amd, arm].map((i) => ({ digest: i.manifest.digest, size: i.manifest.bytes.byteLength })));
    const inv = await takeInventory(reg, { now });
    const repo = inv.repositories[0]!;
    expect(repo.tags).toEqual({ v1: index });
    expect(Object.keys(repo.manifests).sort()).toEqual([index, amd.manifest.digest, arm.manifest.digest].sort());
    expect(repo.manifests[index]!.manifests).toEqual([amd.manifest.digest, arm.manifest.digest]);
    expect(Object.keys(inv.blobs)).toHaveLength(4);
  });

  it('counts a blob shared by two repositories once in the totals', async () => {
    const reg = new MemoryRegistry();
    const img = reg.pushImage('a', 'v1', [100]);
    reg.putManifest('b', 'v1', img.manifest.bytes, img.manifest.mediaType);
    const inv = await takeInventory(reg, { now });
    const blobBytes = img.config.bytes.byteLength + img.layers[0]!.bytes.byteLength;
    expect(inv.totals).toMatchObject({ repositories: 2, tags: 2, manifests: 1, blobs: 2, blobBytes });
  });

  it('walks untagged revisions and records the links it is given (registry-backup)', async () => {
    const reg = new MemoryRegistry();
    const old = reg.pushImage('app', 'v1', [10]);
    const cur = reg.pushImage('app', 'v1', [12]); // v1 re-pointed; the old manifest stays untagged
    const links = new Map([['app', { layers: [], revisions: [old.manifest.digest, cur.manifest.digest], tagHistory: { v1: [old.manifest.digest, cur.manifest.digest] } }]]);
    const inv = await takeInventory(reg, { now, links });
    expect(Object.keys(inv.repositories[0]!.manifests).sort()).toEqual([old.manifest.digest, cur.manifest.digest].sort());
    expect(inv.repositories[0]!.links).toEqual(links.get('app'));
  });

  it('warns about an index child the registry does not have instead of failing', async () => {
    const reg = new MemoryRegistry();
    const gone = ('sha256:' + 'b'.repeat(64)) as Digest;
    reg.pushIndex('multi', 'v1', [{ digest: gone, size: 3 }]);
    const inv = await takeInventory(reg, { now });
    expect(inv.warnings).toEqual([`multi@${gone} is referenced but the registry does not have it`]);
  });
});

describe('inventory documents', () => {
  it('round-trip through a file', async () => {
    const reg = new MemoryRegistry();
    reg.pushImage('a', 'v1', [10]);
    const inv = await takeInventory(reg, { now });
    const file = join(mkdtempSync(join(tmpdir(), 'inv-')), 'inventory.json');
    await writeInventory(file, inv);
    expect(await readInventory(file)).toEqual(inv);
  });

  it('list every content-addressed object: blobs and manifests', async () => {
    const reg = new MemoryRegistry();
    const img = reg.pushImage('a', 'v1', [10]);
    const inv = await takeInventory(reg, { now });
    expect([...referencedDigests(inv)].sort()).toEqual([img.config.descriptor.digest, img.layers[0]!.descriptor.digest, img.manifest.digest].sort());
  });

  it('are refused with a reason when they are something else', async () => {
    const reg = new MemoryRegistry();
    reg.pushImage('a', 'v1', [10]);
    const inv = await takeInventory(reg, { now });
    expect(() => parseInventory('{', 'x.json')).toThrow(/x.json is not JSON/);
    expect(() => parseInventory('{"format":"other"}', 'x.json')).toThrow(/x.json is not a registry inventory \(format "other"/);
    expect(() => parseInventory(inventoryJson({ ...inv, formatVersion: 2 as 1 }), 'x.json')).toThrow(/format version 2; this tool reads version 1/);
    const broken = JSON.parse(inventoryJson(inv));
    broken.repositories[0].tags.v1 = 'latest';
    expect(() => parseInventory(JSON.stringify(broken), 'x.json')).toThrow(/x.json: repositories.0.tags.v1: not a sha256 digest/);
  });

  it('name the field and what it should hold when a value has the wrong type or range (English, as zod words it)', async () => {
    const reg = new MemoryRegistry();
    reg.pushImage('a', 'v1', [10]);
    const inv = await takeInventory(reg, { now });
    const [digest] = Object.keys(inv.blobs);
    const negative = JSON.parse(inventoryJson(inv));
    negative.blobs[digest!] = -1;
    expect(() => parseInventory(JSON.stringify(negative), 'x.json')).toThrow(`x.json: blobs.${digest}: Too small: expected number to be >=0`);
    const text = JSON.parse(inventoryJson(inv));
    text.totals.blobs = '2';
    expect(() => parseInventory(JSON.stringify(text), 'x.json')).toThrow('x.json: totals.blobs: Invalid input: expected number, received string');
  });

  it('name the file that cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-'));
    await expect(readInventory(join(dir, 'missing.json'))).rejects.toThrow(/cannot read inventory .*missing.json: ENOENT/);
    writeFileSync(join(dir, 'empty.json'), '');
    await expect(readInventory(join(dir, 'empty.json'))).rejects.toThrow(/empty.json is not JSON/);
  });
});
