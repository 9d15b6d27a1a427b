import { intOption } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { formatBytes, progressFor } from '../cli/progress.js';
import { asCommandError, REGISTRY_OPTIONS, registryFromArgs } from '../cli/registry-args.js';
import { runSmoke, SMOKE_DEFAULTS, type SmokeResult } from '../registry/smoke.js';

export const smokeCommand = defineCommand({
  name: 'smoke',
  description: `Builds an OCI image in memory (a random layer of --size bytes, a small layer, a
config, a manifest), pushes it with the OCI distribution API (the big layer as a
chunked upload, the rest monolithically), pulls it back checking every digest,
and deletes it unless --keep. Prints timings. Exit 0 only when the round trip is
exact; exit 1 naming each digest that differed, or with one line saying why the
registry (or the store behind it) could not complete it.`,
  groups: [REGISTRY_OPTIONS],
  options: {
    repository: { type: 'string', placeholder: '<name>', description: 'repository to use', defaultText: SMOKE_DEFAULTS.repository },
    size: { type: 'string', placeholder: '<bytes>', description: 'random bytes in the big layer', default: String(SMOKE_DEFAULTS.size) },
    keep: { type: 'boolean', description: 'leave the image in the registry (its tag is printed)' },
    json: { type: 'boolean', description: 'one JSON document: digests, timings, problems' },
  },
  async run(args, io) {
    const client = registryFromArgs(args);
    const size = intOption(args, 'size', SMOKE_DEFAULTS.size, 1, 4 * 1024 ** 3);
    const progress = progressFor(args);
    let result: SmokeResult;
    try {
      result = await runSmoke(client, {
        repository: args.values.repository,
        size,
        keep: args.values.keep === true,
        onStep: (s) => progress.update(`smoke: ${s}`),
      });
    } catch (err) {
      throw asCommandError(err, `smoke of ${client.url} failed`);
    } finally {
      progress.done();
    }
    io.out(args.values.json ? JSON.stringify(result, null, 2) : formatSmoke(result));
    return result.ok ? 0 : 1;
  },
});

function formatSmoke(r: SmokeResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rate = (ms: number) => (ms > 0 ? ` (${formatBytes((r.bytesPushed / ms) * 1000)}/s)` : '');
  const lines = [
    `smoke ${r.registry} ${r.repository}:${r.tag}`,
    `pushed ${formatBytes(r.bytesPushed)} in ${s(r.timings.pushMs)}${rate(r.timings.pushMs)}: manifest ${r.manifestDigest}`,
    ...r.blobs.map((b) => `  ${b.role} ${b.digest} ${formatBytes(b.size)} (${b.upload} upload)`),
    `pulled and re-hashed in ${s(r.timings.pullMs)}${rate(r.timings.pullMs)}`,
    r.deleted ? `deleted in ${s(r.timings.deleteMs ?? 0)}` : `kept: ${r.registry.replace(/^https?:\/\//, '')}/${r.repository}:${r.tag}`,
    ...r.notes.map((n) => `note: ${n}`),
    ...r.problems.map((p) => `MISMATCH ${p}`),
    r.ok ? `round trip exact in ${s(r.timings.totalMs)}` : `round trip FAILED: ${r.problems.length} mismatch(es)`,
  ];
  return lines.join('\n');
}
