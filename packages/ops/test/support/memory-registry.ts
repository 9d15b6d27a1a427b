import type { BlobRead, FetchedManifest, ManifestHead } from '../../src/registry/client.js';
import { digestOf, type Digest } from '../../src/registry/digest.js';
import { RegistryUnreachableError } from '../../src/registry/errors.js';
import { MEDIA_TYPES } from '../../src/registry/manifest.js';
import { syntheticImage, type SyntheticImage } from '../../src/registry/synthetic.js';
import type { VerifyTarget } from '../../src/verify/run.js';

interface Repo {
  tags: Map<string, Digest>;
  manifests: Map<Digest, { bytes: Buffer; mediaType: string }>;
  layers: Set<Digest>;
}

/**
 * An in-memory registry behind the narrow interface inventory and verify read through,
 * with the faults the integration tests cause for real (lost or changed blobs,
 * re-pointed tags, an unreachable registry) one call away. Unit tests only.
 */
export class MemoryRegistry implements VerifyTarget {
  readonly url = 'http://memory.test:5000';
  readonly blobs = new Map<Digest, Buffer>();
  readonly repos = new Map<string, Repo>();
  /** Sizes of lost blobs whose HEAD still answers (a descriptor cache) while GET sends nothing. */
  readonly cachedButGone = new Map<Digest, number>();
  unreachable = false;
  /** Calls seen, for assertions on what was fetched. */
  readonly calls: string[] = [];

  private repo(name: string): Repo {
    let r = this.repos.get(name);
    if (!r) this.repos.set(name, (r = { tags: new Map(), manifests: new Map(), layers: new Set() }));
    return r;
  }

  private reach(call: string) {
    this.calls.push(call);
    if (this.unreachable) throw new RegistryUnreachableError(this.url, 4, 'connect ECONNREFUSED 127.0.0.1:5000');
  }

  /** Pushes a synthetic image under a tag; returns it. */
  pushImage(repository: string, tag: string | undefined, layerSizes: number[]): SyntheticImage {
    const image = syntheticImage({ layerSizes });
    const r = this.repo(repository);
    for (const part of [image.config, ...image.layers]) {
      this.blobs.set(part.descriptor.digest, part.bytes);
      r.layers.add(part.descriptor.digest);
    }
    this.putManifest(repository, tag, image.manifest.bytes, image.manifest.mediaType);
    return image;
  }

  /** Pushes an index of the given manifests (already in the repository). */
  pushIndex(repository: string, tag: string, children: { digest: Digest; size: number }[]): Digest {
    const manifests = children.map((c) => ({ mediaType: MEDIA_TYPES.ociManifest, ...c }));
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }));
    return this.putManifest(repository, tag, bytes, MEDIA_TYPES.ociIndex);
  }

  putManifest(repository: string, tag: string | undefined, bytes: Buffer, mediaType: string): Digest {
    const digest = digestOf(bytes);
    const r = this.repo(repository);
    r.manifests.set(digest, { bytes, mediaType });
    this.blobs.set(digest, bytes);
    if (tag) r.tags.set(tag, digest);
    return digest;
  }

  /** The blob's object disappears; with `cached`, HEAD still answers as distribution's descriptor cache does. */
  loseBlob(digest: Digest, cached = false): void {
    const bytes = this.blobs.get(digest);
    this.blobs.delete(digest);
    if (cached && bytes) this.cachedButGone.set(digest, bytes.byteLength);
  }

  /** The blob's object is overwritten with other bytes of the same size. */
  corruptBlob(digest: Digest): void {
    const bytes = Buffer.from(this.blobs.get(digest)!);
    bytes[0] = (bytes[0]! + 1) % 256;
    this.blobs.set(digest, bytes);
  }

  repoint(repository: string, tag: string, digest: Digest): void {
    this.repo(repository).tags.set(tag, digest);
  }

  async catalog(): Promise<string[]> {
    this.reach('catalog');
    return [...this.repos.keys()].sort();
  }

  async tags(repository: string): Promise<string[]> {
    this.reach(`tags ${repository}`);
    return [...(this.repos.get(repository)?.tags.keys() ?? [])];
  }

  private resolve(repository: string, reference: string) {
    const r = this.repos.get(repository);
    const digest = (reference.startsWith('sha256:') ? reference : r?.tags.get(reference)) as Digest | undefined;
    const m = digest ? r?.manifests.get(digest) : undefined;
    const bytes = digest ? this.blobs.get(digest) : undefined;
    return m && bytes && digest ? { digest, bytes, mediaType: m.mediaType } : undefined;
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest | undefined> {
    this.reach(`getManifest ${repository} ${reference}`);
    const m = this.resolve(repository, reference);
    return m && { digest: digestOf(m.bytes), headerDigest: m.digest, mediaType: m.mediaType, bytes: m.bytes };
  }

  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    this.reach(`headManifest ${repository} ${reference}`);
    const m = this.resolve(repository, reference);
    return m && { digest: m.digest, size: m.bytes.byteLength, mediaType: m.mediaType };
  }

  async headBlob(repository: string, digest: Digest): Promise<{ size?: number } | undefined> {
    this.reach(`headBlob ${repository} ${digest}`);
    if (!this.repos.get(repository)?.layers.has(digest)) return undefined;
    const bytes = this.blobs.get(digest);
    if (!bytes) return this.cachedButGone.has(digest) ? { size: this.cachedButGone.get(digest) } : undefined;
    return { size: bytes.byteLength };
  }

  async hashBlob(repository: string, digest: Digest): Promise<BlobRead | undefined> {
    this.reach(`hashBlob ${repository} ${digest}`);
    if (!this.repos.get(repository)?.layers.has(digest)) return undefined;
    const bytes = this.blobs.get(digest);
    if (!bytes) return this.cachedButGone.has(digest) ? { bytes: 0, announced: this.cachedButGone.get(digest), complete: false, reason: 'closed' } : undefined;
    return { digest: digestOf(bytes), bytes: bytes.byteLength, announced: bytes.byteLength, complete: true };
  }
}
