import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Digest } from '../src/registry/digest.js';
import { blobKey, classifyKey, layerLinkKey, repositoryLinks, revisionLinkKey, tagCurrentKey, tagIndexKey } from '../src/registry/storage-layout.js';

// A real listing of distribution 2.8.2's bucket on Ceph RGW after pushing one image as exp/one:v1.
const listing = readFileSync(join(__dirname, 'fixtures/registry/storage-listing.txt'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [size, etag, key] = line.split(' ');
    return { size: Number(size), etag: etag!, key: key! };
  });
const MANIFEST = 'sha256:e326d75195963486dfdd7dfbc38d967099ec95d8d7d8049279812301f0d964b7' as Digest;

describe('distribution storage layout', () => {
  it('classifies every object of a real bucket listing', () => {
    const kinds = listing.map((o) => classifyKey(o.key).kind);
    expect(kinds).toEqual(['blob', 'blob', 'blob', 'blob', 'blob', 'layerLink', 'layerLink', 'layerLink', 'revisionLink', 'tagCurrent', 'tagIndex', 'layerLink']);
  });

  it('reads repository names with slashes, tags and digests out of link keys', () => {
    expect(classifyKey(listing[9]!.key)).toEqual({ kind: 'tagCurrent', repository: 'exp/one', tag: 'v1' });
    expect(classifyKey(listing[10]!.key)).toEqual({ kind: 'tagIndex', repository: 'exp/one', tag: 'v1', digest: MANIFEST });
    expect(classifyKey(listing[8]!.key)).toEqual({ kind: 'revisionLink', repository: 'exp/one', digest: MANIFEST });
  });

  it('builds the same keys distribution wrote', () => {
    const keys = new Set(listing.map((o) => o.key));
    expect(keys.has(blobKey(MANIFEST))).toBe(true);
    expect(keys.has(revisionLinkKey('exp/one', MANIFEST))).toBe(true);
    expect(keys.has(tagCurrentKey('exp/one', 'v1'))).toBe(true);
    expect(keys.has(tagIndexKey('exp/one', 'v1', MANIFEST))).toBe(true);
    expect(keys.has(layerLinkKey('test/repo', 'sha256:4cadbeeeccdb89ea9b28898ceebf09c228c86e38ae9011e350b172cee3cabe86'))).toBe(true);
  });

  it('holds in a link object exactly the digest text (its ETag is the MD5 of it)', () => {
    const current = listing[9]!;
    expect(createHash('md5').update(MANIFEST).digest('hex')).toBe(current.etag);
    expect(current.size).toBe(MANIFEST.length);
  });

  it('groups the links of a listing by repository', () => {
    const links = repositoryLinks(listing.map((o) => o.key));
    expect([...links.keys()]).toEqual(['exp/one', 'test/repo']);
    expect(links.get('exp/one')).toEqual({
      layers: [
        'sha256:45808cbbe748300a958c5ec90ad85cb33dfcc38c1c36aeb463eb8aa8f178f9bc',
        'sha256:d6e9128f6666e82a27cb6f0cf62db889dbf4d5e81c01c3cdec1d79b0f4508c71',
        'sha256:f82027bc17feea18c10dc41992867fcc3d4f595d451dee5c333f0a1162d78752',
      ],
      revisions: [MANIFEST],
      tagHistory: { v1: [MANIFEST] },
    });
  });

  it('treats upload sessions and foreign objects apart', () => {
    expect(classifyKey('docker/registry/v2/repositories/a/b/_uploads/0b1c/data')).toEqual({ kind: 'upload', repository: 'a/b' });
    expect(classifyKey('inventories/2026.json')).toEqual({ kind: 'other' });
    expect(classifyKey('docker/registry/v2/blobs/sha256/ff/45808cbbe748300a958c5ec90ad85cb33dfcc38c1c36aeb463eb8aa8f178f9bc/data')).toEqual({ kind: 'other' });
  });
});
