import { BackupError } from '../errors.js';
import { listInventories, loadInventory, storeInventory } from './inventories.js';
import { pruneCopy, type PruneResult } from './prune.js';
import { referencedDigests, type Inventory } from '../inventory/format.js';
import { takeInventory } from '../inventory/take.js';
import type { RegistryClient } from '../registry/client.js';
import type { Digest } from '../registry/digest.js';
import { classifyKey, repositoryLinks, V2_ROOT } from '../registry/storage-layout.js';
import { planCopy } from '../s3/copy-plan.js';
import { executeCopy, type CopyResult } from '../s3/copy.js';
import type { ObjectStore, StoredObject } from '../s3/store.js';

/** A step of a long run, for progress output. */
export interface BackupProgress {
  readonly phase: 'list' | 'inventory' | 'copy' | 'prune';
  readonly done?: number;
  readonly total?: number;
  readonly bytes?: number;
}

/** Inputs of {@link registryBackup}. */
export interface RegistryBackupProps {
  readonly registry: RegistryClient;
  /** The registry's bucket, at the driver's root directory. */
  readonly source: ObjectStore;
  /** Where the copy and its inventories live. */
  readonly target: ObjectStore;
  /** Objects (and registry requests) in flight at once. @default 8 */
  readonly concurrency?: number;
  /** After copying, keep only the blobs the newest `keep` inventories reference. @default - no pruning */
  readonly prune?: { readonly keep: number };
  readonly onProgress?: (p: BackupProgress) => void;
  /** Clock for the inventory's time and name (tests). @default new Date() */
  readonly now?: () => Date;
}

export interface RegistryBackupResult {
  readonly inventory: Inventory;
  /** Name of the stored inventory; undefined when objects failed to copy (then no inventory vouches for the copy). */
  readonly inventoryName?: string;
  readonly copy: CopyResult;
  readonly pruned?: PruneResult;
  readonly durationMs: number;
}

/** Objects a backup carries: the registry's tree without unfinished uploads. */
export function backupObjects(objects: readonly StoredObject[]): StoredObject[] {
  return objects.filter((o) => o.key.startsWith(V2_ROOT + '/') && classifyKey(o.key).kind !== 'upload');
}

/**
 * One backup run: take an inventory (with the repositories' link objects), copy every
 * object the copy lacks or holds in another version, and store the inventory beside
 * the copy. Incremental: blobs are content-addressed, so an unchanged registry copies
 * nothing. Never deletes from the copy unless `prune` is given.
 */
export async function registryBackup(props: RegistryBackupProps): Promise<RegistryBackupResult> {
  const started = performance.now();
  const concurrency = props.concurrency ?? 8;
  const progress = props.onProgress ?? (() => undefined);
  if (overlaps(props.source, props.target)) {
    throw new BackupError(`the target ${props.target.url} lies inside the source ${props.source.url} (or the other way round): back up to another bucket or prefix`);
  }

  progress({ phase: 'list' });
  const before = await props.source.list(V2_ROOT + '/');
  progress({ phase: 'inventory' });
  const inventory = await takeInventory(props.registry, {
    concurrency,
    links: repositoryLinks(before.map((o) => o.key)),
    now: props.now,
    onProgress: (done, total) => progress({ phase: 'inventory', done, total }),
  });

  // Listed again after the walk: every blob a recorded manifest references is in this listing.
  progress({ phase: 'list' });
  const [source, target] = await Promise.all([props.source.list(V2_ROOT + '/'), props.target.list(V2_ROOT + '/')]);
  let objects = backupObjects(source);
  if (props.prune) {
    // Blobs the prune would remove at once are not copied: otherwise every run would copy
    // the registry's unreferenced blobs (until its garbage collection) only to delete them.
    const kept = await referencedByNewest(props.target, props.prune.keep - 1, inventory);
    objects = objects.filter((o) => {
      const c = classifyKey(o.key);
      return c.kind !== 'blob' || kept.has(c.digest);
    });
  }
  const plan = planCopy(objects, target, { contentAddressed: (key) => classifyKey(key).kind === 'blob' });
  const copy = await executeCopy(props.source, props.target, plan, {
    concurrency,
    onProgress: (done, total, bytes) => progress({ phase: 'copy', done, total, bytes }),
  });
  if (copy.failed.length > 0) return { inventory, copy, durationMs: Math.round(performance.now() - started) };

  const inventoryName = await storeInventory(props.target, inventory);
  let pruned: PruneResult | undefined;
  if (props.prune) {
    progress({ phase: 'prune' });
    pruned = await pruneCopy(props.target, props.prune.keep, concurrency);
  }
  return { inventory, inventoryName, copy, pruned, durationMs: Math.round(performance.now() - started) };
}

/** Digests referenced by this run's inventory and the newest `others` stored ones. */
async function referencedByNewest(copy: ObjectStore, others: number, current: Inventory): Promise<Set<Digest>> {
  const names = others > 0 ? (await listInventories(copy)).slice(0, others) : [];
  const inventories = [current, ...(await Promise.all(names.map((n) => loadInventory(copy, n))))];
  const all = new Set<Digest>();
  for (const inventory of inventories) for (const d of referencedDigests(inventory)) all.add(d);
  return all;
}

/** True when two stores on one endpoint share a bucket and one prefix contains the other. */
export function overlaps(a: ObjectStore, b: ObjectStore): boolean {
  if (a.location.bucket !== b.location.bucket || a.location.endpoint.endpoint !== b.location.endpoint.endpoint) return false;
  const [p, q] = [a.location.prefix, b.location.prefix].map((x) => (x ? x + '/' : ''));
  return p!.startsWith(q!) || q!.startsWith(p!);
}
