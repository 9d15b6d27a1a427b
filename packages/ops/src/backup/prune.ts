import pLimit from 'p-limit';
import { BackupError } from '../errors.js';
import { INVENTORY_FOLDER, listInventories, loadInventory } from './inventories.js';
import { referencedDigests, type Inventory } from '../inventory/format.js';
import type { Digest } from '../registry/digest.js';
import { blobKey, classifyKey, V2_ROOT } from '../registry/storage-layout.js';
import { s3Reason, type ObjectStore } from '../s3/store.js';

/** What pruning removes from a copy. */
export interface PrunePlan {
  /** Blobs in the copy that none of the kept inventories references. */
  readonly blobs: Digest[];
  /** Inventories older than the kept ones: their blobs may be gone, so they can no longer be restored. */
  readonly inventories: string[];
}

/**
 * Chooses what to prune: keeps the newest `keep` inventories and every blob any of
 * them references (manifests included); everything else of `blobsInCopy` goes.
 */
export function planPrune(
  inventoryNamesNewestFirst: readonly string[],
  kept: readonly Inventory[],
  blobsInCopy: readonly Digest[],
  keep: number,
): PrunePlan {
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError(`--keep: "${keep}" is not a whole number of at least 1: use e.g. 1`);
  if (kept.length !== Math.min(keep, inventoryNamesNewestFirst.length)) throw new BackupError('planPrune needs the newest `keep` inventories loaded');
  const referenced = new Set<Digest>();
  for (const inventory of kept) for (const d of referencedDigests(inventory)) referenced.add(d);
  return {
    blobs: blobsInCopy.filter((d) => !referenced.has(d)).sort(),
    inventories: inventoryNamesNewestFirst.slice(keep),
  };
}

export interface PruneResult extends PrunePlan {
  readonly bytes: number;
  readonly failed: { readonly key: string; readonly reason: string }[];
}

/** Prunes a copy down to what its newest `keep` inventories reference. */
export async function pruneCopy(copy: ObjectStore, keep: number, concurrency = 8): Promise<PruneResult> {
  const names = await listInventories(copy);
  if (names.length === 0) throw new BackupError(`${copy.url} holds no inventory: refusing to prune a copy nothing describes`);
  const kept = await Promise.all(names.slice(0, keep).map((n) => loadInventory(copy, n)));
  const objects = await copy.list(`${V2_ROOT}/blobs/`);
  const sizes = new Map<Digest, number>();
  for (const o of objects) {
    const c = classifyKey(o.key);
    if (c.kind === 'blob') sizes.set(c.digest, o.size);
  }
  const plan = planPrune(names, kept, [...sizes.keys()], keep);
  const limit = pLimit(concurrency);
  const failed: { key: string; reason: string }[] = [];
  const remove = (key: string) =>
    limit(() => copy.delete(key).catch((err: unknown) => void failed.push({ key, reason: s3Reason(err) })));
  await Promise.all(plan.blobs.map((d) => remove(blobKey(d))));
  await Promise.all(plan.inventories.map((n) => remove(`${INVENTORY_FOLDER}/${n}`)));
  return { ...plan, bytes: plan.blobs.reduce((n, d) => n + (sizes.get(d) ?? 0), 0), failed: failed.sort((a, b) => a.key.localeCompare(b.key)) };
}
