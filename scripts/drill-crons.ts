#!/usr/bin/env -S npx tsx
// Prints the restore-drill schedule of every environment in environments/ as one JSON object,
// {"<env>": "<velero.drill.cron>"}, read through packages/config's validation (from its sources,
// so that projen needs no build first). projenrc/workflows.ts runs it to give restore-drill one
// schedule per environment. Exit 1 with the problems of an invalid environment file.
//
// usage: npx tsx scripts/drill-crons.ts <env>...
import { join } from 'node:path';
import { formatProblem, loadEnvironmentFile } from '../packages/config/src/index.js';

const crons: Record<string, string> = {};
let failed = false;
for (const env of process.argv.slice(2)) {
  const file = join(import.meta.dirname, '..', 'environments', `${env}.yaml`);
  const result = loadEnvironmentFile(file);
  if (!result.ok) {
    failed = true;
    for (const p of result.problems) process.stderr.write(`environments/${env}.yaml: ${formatProblem(p)}\n`);
    continue;
  }
  crons[env] = result.config.velero.drill.cron.trim().split(/\s+/).join(' ');
}
if (failed) process.exit(1);
process.stdout.write(JSON.stringify(crons) + '\n');
