import { formatProblem, planEnvironment, planMarkdown, statefulSetChanges } from '@harbor-platform/config';
import { CommandError } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { ENVIRONMENT_OPTIONS, loadConfigOption } from '../cli/environment.js';
import { checkPlanFormatVersion, readJsonFile } from '../cli/plan-file.js';

export const planCommand = defineCommand({
  name: 'plan',
  description: `Prints what the platform will build for one environment: zones, node groups, MinIO
pools with their erasure sets, quorums and capacity, the S3 endpoint Harbor uses,
the Harbor URL, state tiers and the availability table, backup and drill schedules.
Warnings go to stderr. With --previous, first refuses (exit 1) a change MinIO's
StatefulSets cannot take in place (drive size, drives, servers, storage class, a
pool dropped), one line each naming the field; the README's "Changing MinIO drives
and pools" says how to make it. A --previous of another environment, or of a newer
plan format than this CLI reads, is refused (exit 1); the deployed stack's
DeployedMinioStatefulSets output (a plan subset without either field) is taken.`,
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
      const fix = `pass the plan.json of ${config.name}'s last deploy`;
      const before = readJsonFile(previous, '--previous', fix) as { environment?: unknown; minio?: { statefulSets?: unknown } } | null;
      // The deployed stack's output is a plan subset without formatVersion or environment; a
      // whole plan.json has both, and another environment's would compare unrelated StatefulSets.
      checkPlanFormatVersion(before, previous, '--previous', 'current-or-earlier');
      const environment = before?.environment;
      if (environment !== undefined && environment !== config.name) {
        throw new CommandError(`--previous ${previous}: environment: ${JSON.stringify(environment)} is not "${config.name}": ${fix}`);
      }
      // A file without MinIO's StatefulSets would compare as "nothing deployed" and pass every change.
      if (!Array.isArray(before?.minio?.statefulSets)) throw new CommandError(`--previous ${previous}: not a plan.json (it has no minio.statefulSets): ${fix}`);
      const changes = statefulSetChanges(before as Parameters<typeof statefulSetChanges>[0], plan);
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
