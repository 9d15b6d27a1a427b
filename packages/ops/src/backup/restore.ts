import pLimit from 'p-limit';
import { BackupError } from '../errors.js';
import { listInventories, loadInventory } from './inventories.js';
import { referencedDigests, type Inventory } from '../inventory/format.js';
import type { Digest } from '../registry/digest.js';
import { blobKey, classifyKey, layerLinkKey, revisionLinkKey, tagCurrentKey, tagIndexKey, V2_ROOT } from '../registry/storage-layout.js';
import { copyAll, type CopyResult } from '../s3/copy.js';
import { s3Reason, type ObjectStore, type StoredObject } from '../s3/store.js';

/** A link object to write: its key and the digest it holds. */
export interface LinkObject {
  readonly key: string;
  readonly digest: Digest;
}

/** What restoring one inventory takes. */
export interface RestorePlan {
  /** Blob objects to copy from the backup. */
  readonly blobs: StoredObject[];
  /** Blobs the inventory needs that the backup lacks (the restore fails naming them). */
  readonly missing: Digest[];
  /** Blobs only a repository's layer link named (no recorded manifest uses them) and the backup lacks: skipped. */
  readonly skipped: Digest[];
  /**
   * Link objects rebuilt from the inventory, not copied: later backups may have
   * overwritten the copy's tag links. Tags' `current` links come last.
   */
  readonly links: LinkObject[];
}

/**
 * Plans the restore of one inventory from a backup's blob objects: the blobs it
 * references, and every repository's layer, revision and tag links as it recorded
 * them, so tags point where they pointed then.
 */
export function planRestore(inventory: Inventory, blobsInBackup: ReadonlyMap<Digest, StoredObject>): RestorePlan {
  const needed = referencedDigests(inventory);
  const optional = new Set<Digest>();
  for (const repo of inventory.repositories) for (const d of repo.links?.layers ?? []) if (!needed.has(d)) optional.add(d);
  const restored = new Set<Digest>();
  const blobs: StoredObject[] = [];
  const missing: Digest[] = [];
  const skipped: Digest[] = [];
  for (const d of [...needed].sort()) {
    const o = blobsInBackup.get(d);
    if (o) (blobs.push(o), restored.add(d));
    else missing.push(d);
  }
  for (const d of [...optional].sort()) {
    const o = blobsInBackup.get(d);
    if (o) (blobs.push(o), restored.add(d));
    else skipped.push(d);
  }

  const links: LinkObject[] = [];
  const current: LinkObject[] = [];
  for (const repo of inventory.repositories) {
    const manifests = Object.keys(repo.manifests) as Digest[];
    const layers = new Set<Digest>(repo.links?.layers ?? []);
    for (const m of Object.values(repo.manifests)) for (const b of m.blobs) layers.add(b);
    const revisions = new Set<Digest>([...manifests, ...(repo.links?.revisions ?? [])]);
    for (const d of [...layers].sort()) if (restored.has(d)) links.push({ key: layerLinkKey(repo.name, d), digest: d });
    for (const d of [...revisions].sort()) if (restored.has(d)) links.push({ key: revisionLinkKey(repo.name, d), digest: d });
    for (const [tag, digest] of Object.entries(repo.tags)) {
      const history = new Set<Digest>([...(repo.links?.tagHistory[tag] ?? []), digest]);
      for (const d of [...history].sort()) links.push({ key: tagIndexKey(repo.name, tag, d), digest: d });
      current.push({ key: tagCurrentKey(repo.name, tag), digest });
    }
  }
  return { blobs, missing, skipped, links: [...links, ...current] };
}

/** Inputs of {@link registryRestore}. */
export interface RegistryRestoreProps {
  /** The backup copy (where registry-backup wrote). */
  readonly source: ObjectStore;
  /** An empty bucket (prefix) for the restored registry's storage. */
  readonly target: ObjectStore;
  /** Inventory name in the copy. @default the newest */
  readonly inventory?: string;
  /** Objects in flight at once. @default 8 */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number, bytes: number) => void;
}

export interface RegistryRestoreResult {
  readonly inventoryName: string;
  readonly inventory: Inventory;
  readonly repositories: number;
  readonly tags: number;
  readonly manifests: number;
  readonly blobs: CopyResult;
  readonly links: number;
  readonly missing: Digest[];
  readonly skipped: Digest[];
  readonly failed: { readonly key: string; readonly reason: string }[];
  readonly durationMs: number;
}

/**
 * Restores the registry state one inventory recorded into an empty bucket: copies the
 * blobs it references from the backup and rebuilds every link as recorded.
 */
export async function registryRestore(props: RegistryRestoreProps): Promise<RegistryRestoreResult> {
  const started = performance.now();
  const concurrency = props.concurrency ?? 8;
  const names = await listInventories(props.source);
  const inventoryName = props.inventory ?? names[0];
  if (!inventoryName) throw new BackupError(`${props.source.url} holds no inventory: it is not a registry-backup copy, or no backup run completed`);
  const inventory = await loadInventory(props.source, inventoryName);
  if (!(await props.target.isEmpty())) {
    throw new BackupError(`${props.target.url} is not empty: restore into an empty bucket (or prefix), so no object of another registry mixes in`);
  }

  const blobsInBackup = new Map<Digest, StoredObject>();
  for (const o of await props.source.list(`${V2_ROOT}/blobs/`)) {
    const c = classifyKey(o.key);
    if (c.kind === 'blob') blobsInBackup.set(c.digest, o);
  }
  const plan = planRestore(inventory, blobsInBackup);
  const total = plan.blobs.length + plan.links.length;
  const blobs = await copyAll(props.source, props.target, plan.blobs, {
    concurrency,
    onProgress: (done, _t, bytes) => props.onProgress?.(done, total, bytes),
  });

  // Links after blobs: the restored registry never sees a link whose data is not there yet.
  const failed = [...blobs.failed];
  // A layer or revision link is only as good as the blob it names: skip those whose copy failed.
  const copiedBlobs = new Set(blobs.copied.map((c) => c.key));
  const needsBlob = (l: LinkObject) => l.key.includes('/_layers/') || l.key.includes('/_manifests/revisions/');
  const writable = plan.links.filter((l) => !needsBlob(l) || copiedBlobs.has(blobKey(l.digest)));
  const limit = pLimit(concurrency);
  const [body, tail] = [writable.filter((l) => !l.key.endsWith('/current/link')), writable.filter((l) => l.key.endsWith('/current/link'))];
  let done = plan.blobs.length;
  for (const group of [body, tail]) {
    await Promise.all(
      group.map((l) =>
        limit(async () => {
          try {
            await props.target.putText(l.key, l.digest);
          } catch (err) {
            failed.push({ key: l.key, reason: s3Reason(err) });
          }
          props.onProgress?.(++done, total, blobs.bytes);
        }),
      ),
    );
  }
  return {
    inventoryName,
    inventory,
    repositories: inventory.repositories.length,
    tags: inventory.repositories.reduce((n, r) => n + Object.keys(r.tags).length, 0),
    manifests: inventory.totals.manifests,
    blobs,
    links: writable.length,
    missing: plan.missing,
    skipped: plan.skipped,
    failed: failed.sort((a, b) => a.key.localeCompare(b.key)),
    durationMs: Math.round(performance.now() - started),
  };
}
