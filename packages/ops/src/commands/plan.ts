import { readFileSync } from 'node:fs';
import { formatProblem, planEnvironment, planMarkdown, statefulSetChanges } from '@harbor-platform/config';
import { defineCommand } from '../cli/declare.js';
import { ENVIRONMENT_OPTIONS, loadConfigOption } from '../cli/environment.js';

export const planCommand = defineCommand({
  name: 'plan',
  description: `Prints what the platform will build for one environment: zones, node groups, MinIO
pools with their erasure sets, quorums and capacity, the S3 endpoint Harbor uses,
the Harbor URL, state tiers and the availability table, backup and drill schedules.
Warnings go to stderr. With --previous, first refuses (exit 1) a change MinIO's
StatefulSets cannot take in place (drive size, drives, servers, storage class, a
pool dropped), one line each naming the field; the README's "Changing MinIO drives
and pools" says how to make it.`,
  groups: [ENVIRONMENT_OPTIONS],
  options: {
    json: { type: 'boolean', description: 'one JSON document (field names documented in the README)' },
    previous: { type: 'string', placeholder: '<plan.json>', description: 'the plan.json deployed before, to compare with' },
  },
  async run(args, io) {
    const { config, warnings } = loadConfigOption(args, io);
    const plan = planEnvironment(config, warnings);
    const previous = args.values.previous;
    if (previous) {
      let before: object;
      try {
        before = JSON.parse(readFileSync(previous, 'utf8')) as object;
      } catch (err) {
        io.err(`harbor-platform plan: --previous ${previous}: ${(err as Error).message.split('\n')[0]}: pass the plan.json of the last deploy`);
        return 1;
      }
      // A file without MinIO's StatefulSets would compare as "nothing deployed" and pass every change.
      const sets = (before as { minio?: { statefulSets?: unknown } }).minio?.statefulSets;
      if (!Array.isArray(sets)) {
        io.err(`harbor-platform plan: --previous ${previous}: not a plan.json (it has no minio.statefulSets): pass the plan.json of the last deploy`);
        return 1;
      }
      const changes = statefulSetChanges(before, plan);
      if (changes.length > 0) {
        io.err(changes.map(formatProblem).join('\n'));
        io.err(`harbor-platform plan: ${changes.length} change(s) MinIO's StatefulSets cannot take in place`);
        return 1;
      }
    }
    for (const w of warnings) io.err(`warning: ${w.path}: ${w.message}`);
    io.out(args.values.json ? JSON.stringify(plan, null, 2) : planMarkdown(plan));
    return 0;
  },
});
