import { INVENTORY_FOLDER } from '../backup/inventories.js';
import { registryRestore, type RegistryRestoreResult } from '../backup/restore.js';
import { intOption } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { formatBytes, progressFor } from '../cli/progress.js';
import { asCommandError } from '../cli/registry-args.js';
import { s3StoreOptions, storeFromArgs } from '../cli/s3-args.js';

/** Objects in flight at once unless --concurrency says otherwise. */
const CONCURRENCY = 8;

export const registryRestoreCommand = defineCommand({
  name: 'registry-restore',
  description: `Restores into an empty bucket (or prefix) the registry state that one inventory
of a registry-backup copy recorded: the blobs it references, and every
repository's layer, revision and tag links rebuilt from the inventory, so tags
point where they pointed then even if later backups re-pointed them. Point a
registry at the target and run "verify" with the same inventory to prove it.
Exit 1 naming every blob the copy lacks and every object not written.`,
  groups: [
    s3StoreOptions({
      source: 'the backup copy: s3://<bucket>[/<prefix>] (as given to registry-backup --target)',
      target: 'the empty storage of the restored registry: s3://<bucket>[/<rootdirectory>]',
    }),
  ],
  options: {
    inventory: { type: 'string', placeholder: '<name>', description: `an inventory in ${INVENTORY_FOLDER}/ of the copy`, defaultText: 'the newest' },
    concurrency: { type: 'string', placeholder: '<n>', description: 'objects in flight at once', default: String(CONCURRENCY) },
    json: { type: 'boolean', description: 'one JSON document: what was restored, what was missing' },
  },
  async run(args, io) {
    const source = storeFromArgs(args, 'source', 'source');
    const target = storeFromArgs(args, 'target', 'target');
    const concurrency = intOption(args, 'concurrency', CONCURRENCY, 1, 256);
    const progress = progressFor(args);
    let result: RegistryRestoreResult;
    try {
      result = await registryRestore({
        source,
        target,
        inventory: args.values.inventory,
        concurrency,
        onProgress: (done, total, bytes) => progress.update(`registry-restore: ${done}/${total} objects, ${formatBytes(bytes)}`),
      });
    } catch (err) {
      throw asCommandError(err, `registry-restore from ${source.url} to ${target.url}`);
    } finally {
      progress.done();
    }
    const ok = result.missing.length === 0 && result.failed.length === 0;
    io.out(args.values.json ? JSON.stringify(restoreJson(result, ok), null, 2) : formatRestore(result, ok, target.url));
    return ok ? 0 : 1;
  },
});

function restoreJson(r: RegistryRestoreResult, ok: boolean) {
  return {
    ok,
    inventory: r.inventoryName,
    inventoryTakenAt: r.inventory.takenAt,
    repositories: r.repositories,
    tags: r.tags,
    manifests: r.manifests,
    /** Content-addressed objects copied: blobs and manifests. */
    blobObjects: r.blobs.copied.length,
    bytes: r.blobs.bytes,
    links: r.links,
    missing: r.missing,
    skipped: r.skipped,
    failed: r.failed,
    durationMs: r.durationMs,
  };
}

function formatRestore(r: RegistryRestoreResult, ok: boolean, target: string): string {
  const lines = [
    `registry-restore of inventory ${r.inventoryName} (taken ${r.inventory.takenAt}) into ${target}`,
    `restored ${r.repositories} repositories, ${r.tags} tags, ${r.manifests} manifests: ${r.blobs.copied.length} blob objects ` +
      `(${formatBytes(r.blobs.bytes)}) and ${r.links} links in ${(r.durationMs / 1000).toFixed(2)} s`,
    ...r.missing.map((d) => `MISSING from the copy: blob ${d}`),
    ...r.failed.map((f) => `NOT RESTORED ${f.key}: ${f.reason}`),
    ...r.skipped.map((d) => `note: blob ${d} was only linked (no recorded manifest uses it) and is not in the copy; skipped`),
  ];
  if (!ok) lines.push(`FAILED: ${r.missing.length} blob(s) missing from the copy, ${r.failed.length} object(s) not written`);
  return lines.join('\n');
}
