import pLimit from 'p-limit';
import { INVENTORY_FORMAT, INVENTORY_FORMAT_VERSION, type Inventory, type ManifestEntry, type RepositoryInventory } from './format.js';
import type { RegistryClient } from '../registry/client.js';
import type { Digest } from '../registry/digest.js';
import { manifestReferences } from '../registry/manifest.js';
import type { RepositoryLinks } from '../registry/storage-layout.js';

/** What an inventory reads from a registry (a {@link RegistryClient} in practice). */
export type InventorySource = Pick<RegistryClient, 'url' | 'catalog' | 'tags' | 'getManifest'>;

/** Options of {@link takeInventory}. */
export interface TakeInventoryOptions {
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
  /**
   * Link objects per repository, as found in the registry's bucket. Their untagged
   * revisions are walked too and the links are recorded, so that a restore can rebuild
   * the repository exactly. @default - only what the registry API lists (tags)
   */
  readonly links?: ReadonlyMap<string, RepositoryLinks>;
  /** Only these repositories. @default - every repository of the catalog (and of `links`) */
  readonly repositories?: readonly string[];
  /** Called after each repository. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Clock for `takenAt` (tests). @default new Date() */
  readonly now?: () => Date;
}

/**
 * Walks a registry: every repository, tag and manifest (image indexes and their
 * children), and the blobs each manifest references with their sizes.
 */
export async function takeInventory(client: InventorySource, options: TakeInventoryOptions = {}): Promise<Inventory> {
  const takenAt = (options.now?.() ?? new Date()).toISOString();
  const limit = pLimit(options.concurrency ?? 8);
  const names = options.repositories ? [...options.repositories] : await client.catalog();
  for (const name of options.links?.keys() ?? []) if (!names.includes(name) && !options.repositories) names.push(name);
  names.sort();
  const warnings: string[] = [];
  const blobs = new Map<Digest, number>();
  let done = 0;
  const repositories = await Promise.all(
    names.map(async (name) => {
      const repo = await walkRepository(client, name, options.links?.get(name), limit, blobs, warnings);
      options.onProgress?.(++done, names.length);
      return repo;
    }),
  );
  const kept = repositories.filter((r) => Object.keys(r.tags).length > 0 || Object.keys(r.manifests).length > 0 || r.links);
  return {
    format: INVENTORY_FORMAT,
    formatVersion: INVENTORY_FORMAT_VERSION,
    registry: client.url,
    takenAt,
    repositories: kept,
    blobs: Object.fromEntries([...blobs].sort(([a], [b]) => a.localeCompare(b))),
    totals: totalsOf(kept, blobs),
    warnings: warnings.sort(),
  };
}

async function walkRepository(
  client: InventorySource,
  name: string,
  links: RepositoryLinks | undefined,
  limit: ReturnType<typeof pLimit>,
  blobs: Map<Digest, number>,
  warnings: string[],
): Promise<RepositoryInventory> {
  const tagNames = (await limit(() => client.tags(name))).sort();
  const tags: Record<string, Digest> = {};
  const manifests = new Map<Digest, ManifestEntry>();
  const pending = new Map<Digest, Promise<void>>();

  // Fetches a manifest once per repository, then its children (an index's images).
  const visit = (reference: string, tag?: string): Promise<Digest | undefined> =>
    limit(() => client.getManifest(name, reference)).then(async (fetched) => {
      if (!fetched) {
        warnings.push(tag ? `${name}:${tag} disappeared while the inventory was taken` : `${name}@${reference} is referenced but the registry does not have it`);
        return undefined;
      }
      const where = `${name}@${fetched.digest}`;
      if (!pending.has(fetched.digest)) {
        const refs = manifestReferences(fetched.bytes, fetched.mediaType, where);
        manifests.set(fetched.digest, {
          mediaType: refs.mediaType,
          size: fetched.bytes.byteLength,
          blobs: refs.blobs.map((b) => b.digest),
          manifests: refs.manifests.map((m) => m.digest),
        });
        for (const b of refs.blobs) blobs.set(b.digest, b.size);
        pending.set(fetched.digest, Promise.all(refs.manifests.map((child) => visit(child.digest))).then(() => undefined));
      }
      await pending.get(fetched.digest);
      return fetched.digest;
    });

  await Promise.all(
    tagNames.map(async (tag) => {
      const digest = await visit(tag, tag);
      if (digest) tags[tag] = digest;
    }),
  );
  await Promise.all((links?.revisions ?? []).filter((d) => !manifests.has(d)).map((d) => visit(d)));
  return {
    name,
    tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))),
    manifests: Object.fromEntries([...manifests].sort(([a], [b]) => a.localeCompare(b))),
    ...(links ? { links } : {}),
  };
}

function totalsOf(repositories: RepositoryInventory[], blobs: Map<Digest, number>) {
  const manifestSizes = new Map<string, number>();
  for (const r of repositories) for (const [d, m] of Object.entries(r.manifests)) manifestSizes.set(d, m.size);
  return {
    repositories: repositories.length,
    tags: repositories.reduce((n, r) => n + Object.keys(r.tags).length, 0),
    manifests: manifestSizes.size,
    blobs: blobs.size,
    blobBytes: [...blobs.values()].reduce((a, b) => a + b, 0),
    manifestBytes: [...manifestSizes.values()].reduce((a, b) => a + b, 0),
  };
}
