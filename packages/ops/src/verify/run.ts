import pLimit, { type LimitFunction } from 'p-limit';
import { isTransfer, planChecks, type Check, type HashSelection } from './plan.js';
import type { CorruptBlob, CorruptManifest, MissingBlob, MissingManifest, MissingTag, RepointedTag, VerifyReport } from './report.js';
import type { Inventory } from '../inventory/format.js';
import type { RegistryClient } from '../registry/client.js';
import type { Digest } from '../registry/digest.js';
import { RegistryHttpError } from '../registry/errors.js';

/** What verify reads from a registry (a {@link RegistryClient} in practice). */
export type VerifyTarget = Pick<RegistryClient, 'url' | 'catalog' | 'tags' | 'getManifest' | 'headBlob' | 'hashBlob'>;

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

export const VERIFY_DEFAULTS = { selection: { sample: 0.1 } as HashSelection, concurrency: 8, requestsPerStream: 4 };

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
  const concurrency = options.concurrency ?? VERIFY_DEFAULTS.concurrency;
  // Blob streams share `concurrency` slots; the small requests (tags, manifests, HEADs) are
  // bound by the registry's round trips to its store, not by bandwidth, so they get more.
  const transfers = pLimit(concurrency);
  const requests = pLimit(concurrency * VERIFY_DEFAULTS.requestsPerStream);
  const limitFor = (c: Check) => (isTransfer(c) ? transfers : requests);

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
  const extrasPromise = findExtras(client, inventory, requests).catch((err: Error) => {
    if (!fatal) fatal = err;
    return undefined;
  });
  await Promise.all(checks.map((c) => limitFor(c)(() => run(c))));
  const extras = await extrasPromise;
  if (fatal) throw new VerifyAbortedError(fatal, done, checks.length);

  const sortBy = <T extends { repository: string }>(list: T[], key: (t: T) => string) =>
    list.sort((a, b) => a.repository.localeCompare(b.repository) || key(a).localeCompare(key(b)));
  const count = (kind: Check['kind']) => checks.filter((c) => c.kind === kind).length;
  const manifests = inventory.repositories.reduce((n, r) => n + Object.keys(r.manifests).length, 0);
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
      manifests,
      blobs: count('blob'),
      blobsHashed: checks.filter((c) => c.kind === 'blob' && c.hash).length,
      artifactsChecked: count('tag') + manifests + count('blob'),
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
    const { tag, expected } = check;
    const pulled = await client.getManifest(repository, tag);
    if (!pulled) found.missingTags.push({ repository, tag, expected });
    else if (pulled.digest !== expected) found.repointedTags.push({ repository, tag, expected, actual: pulled.digest });
    // Content that hashes to the expected digest is that manifest; otherwise pull it by digest.
    if (pulled?.digest === check.expected || !check.coversManifest) return pulled?.bytes.byteLength ?? 0;
    return (pulled?.bytes.byteLength ?? 0) + (await checkManifest(client, repository, check.expected, found));
  }
  if (check.kind === 'manifest') return checkManifest(client, repository, check.digest, found);
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

async function checkManifest(client: VerifyTarget, repository: string, digest: Digest, found: Found): Promise<number> {
  const manifest = await client.getManifest(repository, digest);
  if (!manifest) found.missingManifests.push({ repository, digest });
  else if (manifest.digest !== digest) found.corruptManifests.push({ repository, digest, actual: manifest.digest });
  return manifest?.bytes.byteLength ?? 0;
}

/** Repositories and tags the registry has but the inventory does not: reported, not failures. */
async function findExtras(client: VerifyTarget, inventory: Inventory, limit: LimitFunction) {
  const warnings: string[] = [];
  const known = new Map(inventory.repositories.map((r) => [r.name, r]));
  let catalog: string[] = [];
  try {
    catalog = await limit(() => client.catalog());
  } catch (err) {
    if (!(err instanceof RegistryHttpError) || err.status >= 500) throw err;
    warnings.push(`the catalog is not readable (${err.status}), so extra repositories were not looked for`);
  }
  const repositories = catalog.filter((name) => !known.has(name)).sort();
  const listed = await Promise.all(inventory.repositories.map(async (repo) => ({ repo, tags: await limit(() => client.tags(repo.name)) })));
  const tags = listed.flatMap(({ repo, tags: names }) => names.filter((t) => !(t in repo.tags)).map((tag) => ({ repository: repo.name, tag })));
  return { extra: { repositories, tags }, warnings };
}
