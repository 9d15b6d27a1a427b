import { createHash, type Hash } from 'node:crypto';
import { RegistryError } from '../errors.js';

/** An OCI content digest, `sha256:<64 hex>` (the only algorithm distribution 2.8 stores). */
export type Digest = `sha256:${string}`;

const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** True for a well-formed sha256 digest. */
export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && SHA256.test(value);
}

/** Returns the digest or throws naming where the bad value came from. */
export function parseDigest(value: unknown, where: string): Digest {
  if (!isDigest(value)) throw new RegistryError(`${where}: "${String(value)}" is not a sha256 digest (expected sha256:<64 hex digits>)`);
  return value;
}

/** The digest of bytes held in memory. */
export function digestOf(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** What streaming a blob through {@link hashStream} found. */
export interface HashResult {
  readonly digest: Digest;
  readonly bytes: number;
}

/** A sha256 digest built chunk by chunk, with the byte count. */
export interface Digester {
  update(chunk: Uint8Array): void;
  result(): HashResult;
}

/** Starts a {@link Digester} (node:crypto's streaming sha256, OpenSSL underneath). */
export function digester(): Digester {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  return {
    update(chunk) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    },
    result: () => ({ digest: `sha256:${hash.digest('hex')}`, bytes }),
  };
}

/**
 * Hashes a stream chunk by chunk, never holding the whole blob. `onChunk` sees
 * each chunk after it is hashed (used by tests and by callers that also store it).
 */
export async function hashStream(chunks: AsyncIterable<Uint8Array>, onChunk?: (chunk: Uint8Array) => void): Promise<HashResult> {
  const d = digester();
  for await (const chunk of chunks) {
    d.update(chunk);
    onChunk?.(chunk);
  }
  return d.result();
}

/** The hex part of a digest (used in storage paths). */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}
