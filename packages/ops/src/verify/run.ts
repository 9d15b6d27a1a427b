import pLimit from 'p-limit';
import { planChecks, type Check, type HashSelection } from './plan.js';
import type { CorruptBlob, CorruptManifest, MissingBlob, MissingManifest, MissingTag, RepointedTag, VerifyReport } from './report.js';
import type { Inventory } from '../inventory/format.js';
import type { RegistryClient } from '../registry/client.js';
import { RegistryHttpError } from '../registry/errors.js';

/** What verify reads from a registry (a {@link RegistryClient} in practice). */
export type VerifyTarget = Pick<RegistryClient, 'url' | 'catalog' | 'tags' | 'getManifest' | 'headManifest' | 'headBlob' | 'hashBlob'>;

/** Options of {@link verifyInventory}. */
export interface VerifyOptions {
  /** Blobs to stream and re-hash. @default { sample: 0.1 } */
  readonly selection?: HashSelection;
  /** Checks in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Called as checks complete (for progress output). */
  readonly onProgress?: (done: number, total: number, bytesHashed: number) => void;
  /** Random source of the sample (tests). @default Math.random */
  readonly random?: () => number;
}

export const VERIFY_DEFAULTS = { selection: { sample: 0.1 } as HashSelection, concurrency: 4 };

/** Verification stopped: the registry (or the store behind it) could not answer. */
export class VerifyAbortedError extends Error {
  constructor(readonly cause: Error, readonly checksDone: number, readonly checksTotal: number) {
    super(`verification stopped after ${checksDone} of ${checksTotal} checks: ${cause.message}`);
  }
}

/**
 * Walks an inventory against a registry: every tag resolves to the recorded digest,
 * every manifest exists and hashes to its digest, every referenced blob exists, and
 * the selected blobs hash to their digests. Throws {@link VerifyAbortedError} (after
 * the client's bounded retries) when the registry or its store stops answering.
 */
export async function verifyInventory(client: VerifyTarget, inventory: Inventory, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const checks = planChecks(inventory, options.selection ?? VERIFY_DEFAULTS.selection, options.random);
  const found = {
    missingManifests: [] as MissingManifest[],
    corruptManifests: [] as CorruptManifest[],
    repointedTags: [] as RepointedTag[],
    missingTags: [] as MissingTag[],
    missingBlobs: [] as MissingBlob[],
    corruptBlobs: [] as CorruptBlob[],
  };
  let bytesHashed = 0;
  let done = 0;
  let fatal: Error | undefined;
  const limit = pLimit(options.concurrency ?? VERIFY_DEFAULTS.concurrency);

  const run = async (check: Check) => {
    if (fatal) return;
    try {
      const hashed = await runCheck(client, check, found);
      bytesHashed += hashed; // not `+= await`: that reads the total before the await and loses concurrent additions
    } catch (err) {
      // Queued checks still run, but return at once: clearing the queue would leave their promises unsettled.
      if (!fatal) fatal = err as Error;
      return;
    }
    options.onProgress?.(++done, checks.length, bytesHashed);
  };
  const extrasPromise = limit(() => findExtras(client, inventory)).catch((err: Error) => {
    if (!fatal) fatal = err;
    return undefined;
  });
  await Promise.all(checks.map((c) => limit(() => run(c))));
  const extras = await extrasPromise;
  if (fatal) throw new VerifyAbortedError(fatal, done, checks.length);

  const sortBy = <T extends { repository: string }>(list: T[], key: (t: T) => string) =>
    list.sort((a, b) => a.repository.localeCompare(b.repository) || key(a).localeCompare(key(b)));
  const count = (kind: Check['kind']) => checks.filter((c) => c.kind === kind).length;
  const report: VerifyReport = {
    ok: false,
    registry: client.url,
    inventoryTakenAt: inventory.takenAt,
    missingManifests: sortBy(found.missingManifests, (m) => m.digest),
    corruptManifests: sortBy(found.corruptManifests, (m) => m.digest),
    repointedTags: sortBy(found.repointedTags, (t) => t.tag),
    missingTags: sortBy(found.missingTags, (t) => t.tag),
    missingBlobs: sortBy(found.missingBlobs, (b) => b.digest),
    corruptBlobs: sortBy(found.corruptBlobs, (b) => b.digest),
    extra: extras?.extra ?? { repositories: [], tags: [] },
    warnings: extras?.warnings ?? [],
    figures: {
      repositories: inventory.repositories.length,
      tags: count('tag'),
      manifests: count('manifest'),
      blobs: count('blob'),
      blobsHashed: checks.filter((c) => c.kind === 'blob' && c.hash).length,
      artifactsChecked: checks.length,
      bytesHashed,
      durationMs: Math.round(performance.now() - started),
    },
  };
  const failures = Object.values(found).reduce((n, list) => n + list.length, 0);
  return { ...report, ok: failures === 0 };
}

type Found = {
  missingManifests: MissingManifest[];
  corruptManifests: CorruptManifest[];
  repointedTags: RepointedTag[];
  missingTags: MissingTag[];
  missingBlobs: MissingBlob[];
  corruptBlobs: CorruptBlob[];
};

/** Runs one check, recording what it finds; returns the bytes it hashed. Throws only when the registry cannot answer. */
async function runCheck(client: VerifyTarget, check: Check, found: Found): Promise<number> {
  const { repository } = check;
  if (check.kind === 'tag') {
    const head = await client.headManifest(repository, check.tag);
    let actual = head?.digest;
    if (head && !actual) actual = (await client.getManifest(repository, check.tag))?.digest;
    if (!head || !actual) found.missingTags.push({ repository, tag: check.tag, expected: check.expected });
    else if (actual !== check.expected) found.repointedTags.push({ repository, tag: check.tag, expected: check.expected, actual });
    return 0;
  }
  if (check.kind === 'manifest') {
    const manifest = await client.getManifest(repository, check.digest);
    if (!manifest) found.missingManifests.push({ repository, digest: check.digest });
    else if (manifest.digest !== check.digest) found.corruptManifests.push({ repository, digest: check.digest, actual: manifest.digest });
    return manifest?.bytes.byteLength ?? 0;
  }
  if (!check.hash) {
    const head = await client.headBlob(repository, check.digest);
    if (!head) {found.missingBlobs.push({ repository, digest: check.digest, reason: 'the registry answers 404' });} else if (head.size !== undefined && head.size !== check.size) {
      found.corruptBlobs.push({ repository, digest: check.digest, reason: `size ${head.size}, expected ${check.size}`, expectedSize: check.size, actualSize: head.size });
    }
    return 0;
  }
  const read = await client.hashBlob(repository, check.digest);
  if (!read) {
    found.missingBlobs.push({ repository, digest: check.digest, reason: 'the registry answers 404' });
    return 0;
  }
  if (!read.complete && read.bytes === 0) {
    // Distribution announces a blob it still has in its descriptor cache, then finds no object behind it.
    found.missingBlobs.push({ repository, digest: check.digest, reason: `announced ${read.announced ?? '?'} bytes but sent none (the object is gone from the store)` });
  } else if (!read.complete) {
    found.corruptBlobs.push({ repository, digest: check.digest, reason: `sent ${read.bytes} of ${read.announced} announced bytes`, expectedSize: check.size, actualSize: read.bytes });
  } else if (read.digest !== check.digest || read.bytes !== check.size) {
    found.corruptBlobs.push({
      repository,
      digest: check.digest,
      reason: `content hashes to ${read.digest} (${read.bytes} bytes, expected ${check.size})`,
      actual: read.digest,
      expectedSize: check.size,
      actualSize: read.bytes,
    });
  }
  return read.bytes;
}

/** Repositories and tags the registry has but the inventory does not: reported, not failures. */
async function findExtras(client: VerifyTarget, inventory: Inventory) {
  const warnings: string[] = [];
  const known = new Map(inventory.repositories.map((r) => [r.name, r]));
  let catalog: string[] = [];
  try {
    catalog = await client.catalog();
  } catch (err) {
    if (!(err instanceof RegistryHttpError) || err.status >= 500) throw err;
    warnings.push(`the catalog is not readable (${err.status}), so extra repositories were not looked for`);
  }
  const repositories = catalog.filter((name) => !known.has(name)).sort();
  const tags: { repository: string; tag: string }[] = [];
  for (const repo of inventory.repositories) {
    for (const tag of await client.tags(repo.name)) if (!(tag in repo.tags)) tags.push({ repository: repo.name, tag });
  }
  return { extra: { repositories, tags }, warnings };
}
