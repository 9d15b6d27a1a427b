import { randomBytes } from 'node:crypto';
import { RegistryError } from '../errors.js';
import { checkRepositoryName, type RegistryClient } from './client.js';
import type { Digest } from './digest.js';
import { RegistryHttpError } from './errors.js';
import { syntheticImage } from './synthetic.js';

/** Options of {@link runSmoke}. */
export interface SmokeOptions {
  /** @default harbor-platform/smoke */
  readonly repository?: string;
  /** @default smoke-<time>-<random> */
  readonly tag?: string;
  /** Bytes of random content in the main layer. @default 8 MiB */
  readonly size?: number;
  /** PATCH size of the chunked upload. @default a quarter of the layer, at most 5 MiB */
  readonly chunkSize?: number;
  /** Leave the image in the registry. @default false */
  readonly keep?: boolean;
  /** Called as each step starts. */
  readonly onStep?: (step: string) => void;
}

export const SMOKE_DEFAULTS = { repository: 'harbor-platform/smoke', size: 8 * 1024 * 1024, maxChunk: 5 * 1024 * 1024, smallLayer: 64 * 1024 };

export interface SmokeBlob {
  readonly digest: Digest;
  readonly size: number;
  readonly role: 'layer' | 'config';
  readonly upload: 'chunked' | 'monolithic';
}

/** What the round trip did and found. */
export interface SmokeResult {
  /** True only when every digest pulled back matched what was pushed. */
  readonly ok: boolean;
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly manifestDigest: Digest;
  readonly blobs: SmokeBlob[];
  /** Every mismatch, by digest. */
  readonly problems: string[];
  /** Blob deletes the registry refused (Harbor leaves blobs to its garbage collection): not failures. */
  readonly notes: string[];
  readonly deleted: boolean;
  readonly bytesPushed: number;
  readonly timings: { readonly pushMs: number; readonly pullMs: number; readonly deleteMs?: number; readonly totalMs: number };
}

/**
 * Pushes a synthetic image (one layer by chunked upload, one layer and the config
 * monolithically, then the manifest), pulls it back checking every digest, and
 * deletes it unless asked to keep it.
 */
export async function runSmoke(client: RegistryClient, options: SmokeOptions = {}): Promise<SmokeResult> {
  const repository = checkRepositoryName(options.repository ?? SMOKE_DEFAULTS.repository);
  const tag = options.tag ?? `smoke-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
  const size = options.size ?? SMOKE_DEFAULTS.size;
  if (!Number.isInteger(size) || size < 1) throw new RegistryError(`size must be a positive whole number of bytes, got ${size}`);
  const step = options.onStep ?? (() => undefined);
  const image = syntheticImage({ layerSizes: [size, Math.min(SMOKE_DEFAULTS.smallLayer, size)], label: `${repository}:${tag}` });
  const [big, small] = image.layers as [(typeof image.layers)[0], (typeof image.layers)[0]];
  const chunkSize = options.chunkSize ?? Math.max(1, Math.min(SMOKE_DEFAULTS.maxChunk, Math.ceil(big.bytes.byteLength / 4)));
  const started = performance.now();

  step('checking the registry answers');
  await client.ping();
  step(`pushing ${big.descriptor.digest} (chunked)`);
  await client.pushBlobChunked(repository, big.bytes, chunkSize);
  step(`pushing ${small.descriptor.digest} and the config (monolithic)`);
  await client.pushBlobMonolithic(repository, small.bytes);
  await client.pushBlobMonolithic(repository, image.config.bytes);
  step(`pushing the manifest as ${repository}:${tag}`);
  await client.putManifest(repository, tag, image.manifest.bytes, image.manifest.mediaType);
  const pushed = performance.now();

  const problems: string[] = [];
  step('pulling it back');
  const manifest = await client.getManifest(repository, tag);
  if (!manifest) problems.push(`manifest ${image.manifest.digest}: ${repository}:${tag} is unknown right after the push`);
  else if (manifest.digest !== image.manifest.digest) problems.push(`manifest ${image.manifest.digest}: pulled bytes hash to ${manifest.digest}`);
  else if (manifest.headerDigest && manifest.headerDigest !== image.manifest.digest) problems.push(`manifest ${image.manifest.digest}: the registry reports ${manifest.headerDigest}`);
  const blobs: SmokeBlob[] = [
    { digest: big.descriptor.digest, size: big.descriptor.size, role: 'layer', upload: 'chunked' },
    { digest: small.descriptor.digest, size: small.descriptor.size, role: 'layer', upload: 'monolithic' },
    { digest: image.config.descriptor.digest, size: image.config.descriptor.size, role: 'config', upload: 'monolithic' },
  ];
  for (const blob of blobs) {
    const read = await client.hashBlob(repository, blob.digest);
    if (!read) problems.push(`blob ${blob.digest}: missing right after the push`);
    else if (!read.complete) problems.push(`blob ${blob.digest}: ${read.reason ?? `sent ${read.bytes} of ${read.announced} bytes`}`);
    else if (read.digest !== blob.digest || read.bytes !== blob.size) problems.push(`blob ${blob.digest}: pulled ${read.bytes} bytes hashing to ${read.digest}`);
  }
  const pulled = performance.now();

  const notes: string[] = [];
  let deleteMs: number | undefined;
  if (!options.keep) {
    step('deleting it');
    await client.deleteManifest(repository, image.manifest.digest);
    for (const blob of blobs) {
      try {
        await client.deleteBlob(repository, blob.digest);
      } catch (err) {
        if (!(err instanceof RegistryHttpError) || ![400, 403, 405].includes(err.status)) throw err;
        notes.push(`blob ${blob.digest} left to the registry's garbage collection (${err.status} on DELETE)`);
      }
    }
    deleteMs = Math.round(performance.now() - pulled);
  }
  return {
    ok: problems.length === 0,
    registry: client.url,
    repository,
    tag,
    manifestDigest: image.manifest.digest,
    blobs,
    problems,
    notes,
    deleted: !options.keep,
    bytesPushed: blobs.reduce((n, b) => n + b.size, 0) + image.manifest.bytes.byteLength,
    timings: {
      pushMs: Math.round(pushed - started),
      pullMs: Math.round(pulled - pushed),
      deleteMs,
      totalMs: Math.round(performance.now() - started),
    },
  };
}
