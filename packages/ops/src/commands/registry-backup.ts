import { registryBackup, type RegistryBackupResult } from '../backup/backup.js';
import { INVENTORY_FOLDER } from '../backup/inventories.js';
import { intOption, UsageError } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { formatBytes, progressFor } from '../cli/progress.js';
import { asCommandError, REGISTRY_OPTIONS, registryFromArgs } from '../cli/registry-args.js';
import { s3StoreOptions, storeFromArgs } from '../cli/s3-args.js';

/** Objects in flight at once unless --concurrency says otherwise. */
const CONCURRENCY = 8;

export const registryBackupCommand = defineCommand({
  name: 'registry-backup',
  usage: ['registry-backup --registry <url> --source <s3 url> --target <s3 url> [--timeout <duration>] [--concurrency <n>] [--prune --keep <n>] [--json]'],
  description: `Takes an inventory of the registry (with each repository's layer, revision and
tag links from the bucket), copies to the target every object of the registry's
bucket that the target lacks or holds with another size or checksum, then stores
the inventory beside the copy as ${INVENTORY_FOLDER}/<time>.json. Incremental and
idempotent: blobs are content-addressed, so a run over an unchanged registry
copies nothing. Blobs are never deleted by a backup run; tag links are
overwritten (keep the target bucket versioned). Unfinished uploads are skipped.
Exit 1 naming every object that could not be copied (no inventory is stored
then, so a restore never picks an incomplete copy).`,
  groups: [
    REGISTRY_OPTIONS,
    s3StoreOptions({
      source: "the registry's storage: s3://<bucket>[/<rootdirectory>]",
      target: 'the backup copy: s3://<bucket>[/<prefix>]',
    }),
  ],
  options: {
    concurrency: { type: 'string', placeholder: '<n>', description: 'objects in flight at once', default: String(CONCURRENCY) },
    prune: { type: 'boolean', description: 'after copying, remove from the copy the blobs that none of the newest\n--keep inventories references (older inventories go too: they can no\nlonger be restored); such blobs are not copied either' },
    keep: { type: 'string', placeholder: '<n>', description: 'how many of the newest inventories --prune keeps' },
    json: { type: 'boolean', description: 'one JSON document: copied objects, failures, figures' },
  },
  async run(args, io) {
    const registry = registryFromArgs(args);
    const source = storeFromArgs(args, 'source', 'source');
    const target = storeFromArgs(args, 'target', 'target');
    const concurrency = intOption(args, 'concurrency', CONCURRENCY, 1, 256);
    if (args.values.prune && args.values.keep === undefined) throw new UsageError('--prune needs --keep <n>: how many of the newest inventories to keep');
    if (!args.values.prune && args.values.keep !== undefined) throw new UsageError('--keep only applies with --prune');
    const prune = args.values.prune ? { keep: intOption(args, 'keep', 1, 1, 100_000) } : undefined;
    const progress = progressFor(args);
    let result: RegistryBackupResult;
    try {
      result = await registryBackup({
        registry,
        source,
        target,
        concurrency,
        prune,
        onProgress: (p) =>
          progress.update(`registry-backup: ${p.phase}${p.total ? ` ${p.done}/${p.total}` : ''}${p.bytes ? `, ${formatBytes(p.bytes)}` : ''}`),
      });
    } catch (err) {
      throw asCommandError(err, `registry-backup from ${source.url} to ${target.url}`);
    } finally {
      progress.done();
    }
    io.out(args.values.json ? JSON.stringify(backupJson(result), null, 2) : formatBackup(result, source.url, target.url));
    return result.copy.failed.length === 0 && (result.pruned?.failed.length ?? 0) === 0 ? 0 : 1;
  },
});

function backupJson(r: RegistryBackupResult) {
  return {
    ok: r.copy.failed.length === 0 && (r.pruned?.failed.length ?? 0) === 0,
    inventory: r.inventoryName,
    totals: r.inventory.totals,
    copied: r.copy.copied.length,
    copiedBytes: r.copy.bytes,
    unchanged: r.copy.unchanged,
    copiedObjects: r.copy.copied,
    failed: r.copy.failed,
    pruned: r.pruned,
    warnings: r.inventory.warnings,
    durationMs: r.durationMs,
  };
}

function formatBackup(r: RegistryBackupResult, source: string, target: string): string {
  const t = r.inventory.totals;
  const lines = [
    `registry-backup ${source} -> ${target}`,
    `inventory: ${t.repositories} repositories, ${t.tags} tags, ${t.manifests} manifests, ${t.blobs} blobs (${formatBytes(t.blobBytes)})`,
    `copied ${r.copy.copied.length} object(s) (${formatBytes(r.copy.bytes)}), ${r.copy.unchanged} unchanged, in ${(r.durationMs / 1000).toFixed(2)} s`,
    ...r.inventory.warnings.map((w) => `warning: ${w}`),
    ...r.copy.failed.map((f) => `NOT COPIED ${f.key}: ${f.reason}`),
  ];
  if (r.inventoryName) lines.push(`inventory stored as ${target}/${INVENTORY_FOLDER}/${r.inventoryName}`);
  else lines.push(`FAILED: ${r.copy.failed.length} object(s) not copied; no inventory stored for this run`);
  if (r.pruned) {
    lines.push(`pruned ${r.pruned.blobs.length} blob(s) (${formatBytes(r.pruned.bytes)}) and ${r.pruned.inventories.length} older inventory(ies)`);
    for (const d of r.pruned.blobs) lines.push(`  removed blob ${d}`);
    for (const f of r.pruned.failed) lines.push(`NOT REMOVED ${f.key}: ${f.reason}`);
  }
  return lines.join('\n');
}
