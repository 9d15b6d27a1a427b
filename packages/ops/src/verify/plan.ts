import { OpsError } from '../errors.js';
import type { Inventory } from '../inventory/format.js';
import type { Digest } from '../registry/digest.js';

/** Which blobs to stream and re-hash; the others are only checked to exist. */
export type HashSelection = { readonly all: true } | { readonly sample: number };

/** One check against the registry. */
export type Check =
  | {
    readonly kind: 'tag';
    readonly repository: string;
    readonly tag: string;
    readonly expected: Digest;
    /** This pull by tag also proves the manifest it should resolve to (one request instead of two). */
    readonly coversManifest: boolean;
  }
  | { readonly kind: 'manifest'; readonly repository: string; readonly digest: Digest }
  | { readonly kind: 'blob'; readonly repository: string; readonly digest: Digest; readonly size: number; readonly hash: boolean };

/**
 * Picks the blobs to re-hash: all, or a random fraction (at least one when the
 * fraction is above zero). Each digest is hashed once even when several
 * repositories share it.
 */
export function selectForHashing(digests: readonly Digest[], selection: HashSelection, random: () => number = Math.random): Set<Digest> {
  if ('all' in selection) return new Set(digests);
  const fraction = selection.sample;
  if (!(fraction >= 0 && fraction <= 1)) throw new OpsError(`sample fraction must be from 0 to 1, got ${fraction}`);
  if (fraction === 0 || digests.length === 0) return new Set();
  const count = Math.max(1, Math.round(fraction * digests.length));
  // Partial Fisher-Yates: the first `count` places end up a uniform sample.
  const pool = [...digests];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return new Set(pool.slice(0, count));
}

/**
 * Every check an inventory asks for: each tag resolves to its digest, each manifest
 * exists with that digest (proved by the pull of a tag that points at it, or pulled by
 * digest), each blob exists in each repository that references it (hashed once, in the
 * first such repository, when selected).
 */
export function planChecks(inventory: Inventory, selection: HashSelection, random?: () => number): Check[] {
  const hashed = selectForHashing(Object.keys(inventory.blobs) as Digest[], selection, random);
  const hashAssigned = new Set<Digest>();
  const checks: Check[] = [];
  for (const repo of inventory.repositories) {
    const covered = new Set<Digest>();
    for (const [tag, expected] of Object.entries(repo.tags)) {
      const coversManifest = expected in repo.manifests && !covered.has(expected);
      if (coversManifest) covered.add(expected);
      checks.push({ kind: 'tag', repository: repo.name, tag, expected, coversManifest });
    }
    const repoBlobs = new Set<Digest>();
    for (const [digest, manifest] of Object.entries(repo.manifests)) {
      if (!covered.has(digest as Digest)) checks.push({ kind: 'manifest', repository: repo.name, digest: digest as Digest });
      for (const b of manifest.blobs) repoBlobs.add(b);
    }
    for (const digest of [...repoBlobs].sort()) {
      const hash = hashed.has(digest) && !hashAssigned.has(digest);
      if (hash) hashAssigned.add(digest);
      checks.push({ kind: 'blob', repository: repo.name, digest, size: inventory.blobs[digest] ?? 0, hash });
    }
  }
  // Big transfers first, so the slowest one does not start last and stretch the run.
  return checks.sort((a, b) => weight(b) - weight(a));
}

function weight(c: Check): number {
  return c.kind === 'blob' && c.hash ? c.size + 1 : 0;
}

/** True for the checks that stream blob bytes; the others are small, latency-bound requests. */
export function isTransfer(c: Check): boolean {
  return c.kind === 'blob' && c.hash;
}
