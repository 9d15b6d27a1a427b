import { CommandError, intOption, UsageError } from '../cli/command.js';
import { defineCommand, type Args } from '../cli/declare.js';
import { formatBytes, progressFor } from '../cli/progress.js';
import { asCommandError, REGISTRY_OPTIONS, registryFromArgs } from '../cli/registry-args.js';
import { readInventory } from '../inventory/format.js';
import type { HashSelection } from '../verify/plan.js';
import { formatVerifyReport, type VerifyReport } from '../verify/report.js';
import { VERIFY_DEFAULTS, verifyInventory } from '../verify/run.js';

const DEFAULT_SAMPLE = (VERIFY_DEFAULTS.selection as { sample: number }).sample;

const VERIFY_OPTIONS = {
  inventory: { type: 'string', placeholder: '<file>', required: true, description: 'an inventory written by "inventory" or "registry-backup"' },
  all: { type: 'boolean', description: 're-hash every blob' },
  sample: { type: 'string', placeholder: '<fraction>', description: 're-hash this fraction of the blobs, 0 to 1', defaultText: String(DEFAULT_SAMPLE) },
  concurrency: { type: 'string', placeholder: '<n>', description: 'checks in flight at once', default: String(VERIFY_DEFAULTS.concurrency) },
  json: { type: 'boolean', description: 'one JSON document: failures, extras and figures' },
} as const;

export const verifyCommand = defineCommand({
  name: 'verify',
  description: `Walks the inventory against the registry: every tag resolves to the recorded
digest, every manifest exists and hashes to its digest, every referenced blob
exists, and the selected blobs are streamed and re-hashed (all with --all, a
random fraction with --sample; default --sample ${DEFAULT_SAMPLE}).
Exit 0 when everything matches. Exit 1 listing every missing manifest, re-pointed
or missing tag, missing blob and corrupt blob by digest. Repositories and tags the
inventory does not have are reported, not failures. When the registry or its
store stops answering, verify stops with one line saying so (exit 1) after its
bounded retries, never hangs.

A registry with a blob descriptor cache (distribution's inmemory or redis cache)
may answer a HEAD for a blob whose object is gone; only re-hashing (--all)
finds those.`,
  groups: [REGISTRY_OPTIONS],
  options: VERIFY_OPTIONS,
  async run(args, io) {
    const client = registryFromArgs(args);
    const file = args.values.inventory;
    const selection = selectionFrom(args);
    const concurrency = intOption(args, 'concurrency', VERIFY_DEFAULTS.concurrency, 1, 256);
    let inventory;
    try {
      inventory = await readInventory(file);
    } catch (err) {
      throw new CommandError((err as Error).message);
    }
    const progress = progressFor(args);
    let report: VerifyReport;
    try {
      report = await verifyInventory(client, inventory, {
        selection,
        concurrency,
        onProgress: (done, total, bytes) => progress.update(`verify: ${done}/${total} checks, ${formatBytes(bytes)} hashed`),
      });
    } catch (err) {
      throw asCommandError(err, `verify of ${client.url} against ${file}`);
    } finally {
      progress.done();
    }
    io.out(args.values.json ? JSON.stringify(report, null, 2) : formatVerifyReport(report));
    return report.ok ? 0 : 1;
  },
});

function selectionFrom(args: Args<typeof VERIFY_OPTIONS>): HashSelection | undefined {
  const sample = args.values.sample;
  if (args.values.all && sample !== undefined) throw new UsageError('give --all or --sample, not both');
  if (args.values.all) return { all: true };
  if (sample === undefined) return undefined;
  const fraction = Number(sample);
  if (typeof sample !== 'string' || sample.trim() === '' || !(fraction >= 0 && fraction <= 1)) {
    throw new UsageError(`--sample: "${String(sample)}" is not a fraction from 0 to 1: use e.g. 0.1`);
  }
  return { sample: fraction };
}
