import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf, hashStream, isDigest, parseDigest } from '../src/registry/digest.js';
import { manifestReferences } from '../src/registry/manifest.js';
import { syntheticImage, tarOf } from '../src/registry/synthetic.js';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures/registry', name));

describe('manifest references', () => {
  it('lists the config and layers of a Docker v2 manifest as blobs', () => {
    const refs = manifestReferences(fixture('docker-manifest-v2.json'), null, 'fixture');
    expect(refs.isIndex).toBe(false);
    expect(refs.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(refs.blobs.map((b) => [b.digest.slice(7, 15), b.size])).toEqual([
      ['b5b2b2c5', 7023],
      ['e692418e', 32654],
      ['3c3a4604', 16724],
      ['ec4b8955', 73109],
    ]);
    expect(refs.manifests).toEqual([]);
  });

  it('lists the child manifests of an OCI image index, not blobs', () => {
    const refs = manifestReferences(fixture('oci-index.json'), null, 'fixture');
    expect(refs.isIndex).toBe(true);
    expect(refs.blobs).toEqual([]);
    expect(refs.manifests.map((m) => m.size)).toEqual([7143, 7682]);
  });

  it('takes the media type from Content-Type when the document omits it', () => {
    const doc = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:' + 'a'.repeat(64), size: 2 }, layers: [] }));
    expect(manifestReferences(doc, 'application/vnd.oci.image.manifest.v1+json; charset=utf-8', 'x').mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it('refuses schema 1, non-JSON and malformed descriptors with the place named', () => {
    expect(() => manifestReferences(Buffer.from('{"schemaVersion":1}'), null, 'app@sha256:x')).toThrow(/app@sha256:x: schema 1 manifests are not supported/);
    expect(() => manifestReferences(Buffer.from('<html>'), null, 'app:v1')).toThrow(/app:v1: the manifest is not JSON/);
    const bad = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:nothex', size: 1 }, layers: [] }));
    expect(() => manifestReferences(bad, null, 'app:v1')).toThrow(/app:v1: config.digest: "sha256:nothex" is not a sha256 digest/);
  });
});

describe('digests', () => {
  it('hash a stream chunk by chunk to the same digest as the whole', async () => {
    const data = Buffer.from('a'.repeat(100_000));
    async function* chunks() {
      for (let i = 0; i < data.length; i += 4096) yield data.subarray(i, i + 4096);
    }
    expect(await hashStream(chunks())).toEqual({ digest: digestOf(data), bytes: data.length });
  });

  it('accept only sha256 with 64 lower-case hex digits', () => {
    expect(isDigest('sha256:' + 'a'.repeat(64))).toBe(true);
    expect(isDigest('sha256:' + 'A'.repeat(64))).toBe(false);
    expect(isDigest('sha512:' + 'a'.repeat(128))).toBe(false);
    expect(() => parseDigest('md5:x', 'inventory.blobs')).toThrow(/inventory.blobs: "md5:x" is not a sha256 digest/);
  });
});

describe('synthetic image', () => {
  it('builds layers that tar reads back, with digests its manifest names', () => {
    const image = syntheticImage({ layerSizes: [3000, 10] });
    const refs = manifestReferences(image.manifest.bytes, null, 'synthetic');
    expect(digestOf(image.manifest.bytes)).toBe(image.manifest.digest);
    expect(refs.blobs.map((b) => b.digest)).toEqual([image.config.descriptor.digest, ...image.layers.map((l) => l.descriptor.digest)]);
    for (const part of [image.config, ...image.layers]) expect(digestOf(part.bytes)).toBe(part.descriptor.digest);
    const dir = mkdtempSync(join(tmpdir(), 'synthetic-'));
    writeFileSync(join(dir, 'layer.tar'), image.layers[0]!.bytes);
    expect(execFileSync('tar', ['-tvf', join(dir, 'layer.tar')], { encoding: 'utf8' })).toMatch(/ 3000 .* smoke-0\.bin/);
  });

  it('makes two images with different digests', () => {
    expect(syntheticImage({ layerSizes: [1] }).manifest.digest).not.toBe(syntheticImage({ layerSizes: [1] }).manifest.digest);
  });

  it('pads a tar archive to 512-byte blocks with two closing blocks', () => {
    expect(tarOf('f', Buffer.alloc(1)).byteLength).toBe(512 + 512 + 1024);
    expect(tarOf('f', Buffer.alloc(512)).byteLength).toBe(512 + 512 + 1024);
  });
});
