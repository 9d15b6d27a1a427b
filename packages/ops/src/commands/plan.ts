import { planEnvironment, planMarkdown } from '@harbor-platform/config';
import type { Command } from '../cli/command.js';
import { loadConfigOption } from '../cli/environment.js';

export const planCommand: Command = {
  name: 'plan',
  help: `plan (--env <name> | --config <file>) [--json]

Prints what the platform will build for one environment: zones, node groups, MinIO
pools with their erasure sets, quorums and capacity, the S3 endpoint Harbor uses,
the Harbor URL, backup and drill schedules. Warnings go to stderr.

options:
  --env <name>      an environment in environments/ (dev, prod, ...)
  --config <file>   an environment file anywhere
  --json            one JSON document (field names documented in the README)`,
  options: { env: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const { config, warnings } = loadConfigOption(args, io);
    const plan = planEnvironment(config, warnings);
    for (const w of warnings) io.err(`warning: ${w.path}: ${w.message}`);
    io.out(args.values.json ? JSON.stringify(plan, null, 2) : planMarkdown(plan));
    return 0;
  },
};
