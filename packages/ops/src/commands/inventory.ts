import { intOption } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { formatBytes, progressFor } from '../cli/progress.js';
import { asCommandError, REGISTRY_OPTIONS, registryFromArgs } from '../cli/registry-args.js';
import { INVENTORY_FORMAT_VERSION, writeInventory, type Inventory } from '../inventory/format.js';
import { takeInventory } from '../inventory/take.js';

/** Requests in flight at once unless --concurrency says otherwise. */
const INVENTORY_CONCURRENCY = 8;

export const inventoryCommand = defineCommand({
  name: 'inventory',
  description: `Walks the registry through its API: every repository of the catalog, every tag,
every manifest (image indexes and their children), and the blobs each manifest
references with their sizes, plus totals. Writes one JSON document (format
version ${INVENTORY_FORMAT_VERSION}) that "verify" checks a registry against.`,
  groups: [REGISTRY_OPTIONS],
  options: {
    out: { type: 'string', placeholder: '<file>', required: true, description: 'where to write the inventory' },
    concurrency: { type: 'string', placeholder: '<n>', description: 'requests in flight at once', default: String(INVENTORY_CONCURRENCY) },
    json: { type: 'boolean', description: 'print the totals as JSON instead of a sentence' },
  },
  async run(args, io) {
    const client = registryFromArgs(args);
    const { out } = args.values;
    const concurrency = intOption(args, 'concurrency', INVENTORY_CONCURRENCY, 1, 256);
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
});
