import { intOption, requireString, type Command } from '../cli/command.js';
import { formatBytes, progressFor } from '../cli/progress.js';
import { asCommandError, REGISTRY_ENV_HELP, REGISTRY_OPTIONS, REGISTRY_OPTIONS_HELP, registryFromArgs } from '../cli/registry-args.js';
import { INVENTORY_FORMAT_VERSION, writeInventory, type Inventory } from '../inventory/format.js';
import { takeInventory } from '../inventory/take.js';

export const inventoryCommand: Command = {
  name: 'inventory',
  help: `inventory --registry <url> --out <file> [--concurrency <n>] [--json]

Walks the registry through its API: every repository of the catalog, every tag,
every manifest (image indexes and their children), and the blobs each manifest
references with their sizes, plus totals. Writes one JSON document (format
version ${INVENTORY_FORMAT_VERSION}) that "verify" checks a registry against.

options:
${REGISTRY_OPTIONS_HELP}
  --out <file>         where to write the inventory
  --concurrency <n>    requests in flight at once (default 8)
  --json               print the totals as JSON instead of a sentence

environment:
${REGISTRY_ENV_HELP}`,
  options: { ...REGISTRY_OPTIONS, out: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const client = registryFromArgs(args);
    const out = requireString(args, 'out');
    const concurrency = intOption(args, 'concurrency', 8, 1, 256);
    const progress = progressFor(args);
    let inventory: Inventory;
    try {
      inventory = await takeInventory(client, { concurrency, onProgress: (done, total) => progress.update(`inventory: ${done}/${total} repositories`) });
      await writeInventory(out, inventory);
    } catch (err) {
      throw asCommandError(err, `inventory of ${client.url} failed`);
    } finally {
      progress.done();
    }
    const t = inventory.totals;
    for (const w of inventory.warnings) io.err(`warning: ${w}`);
    io.out(
      args.values.json
        ? JSON.stringify({ file: out, registry: inventory.registry, takenAt: inventory.takenAt, totals: t, warnings: inventory.warnings }, null, 2)
        : `inventory of ${inventory.registry} written to ${out}: ${t.repositories} repositories, ${t.tags} tags, ${t.manifests} manifests, ` +
            `${t.blobs} blobs (${formatBytes(t.blobBytes)})`,
    );
    return 0;
  },
};
