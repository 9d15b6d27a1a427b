#!/usr/bin/env -S npx tsx
// Prints the CodeBuild project of every environment's VPC runners as one JSON object,
// {"<env>": "<plan.github.runner.projectName>"}, read through packages/config's validation and
// plan (from its sources, so that projen needs no build first). projenrc/workflows.ts runs it
// to put the cluster-facing jobs on those runners. Exit 1 with the problems of an invalid
// environment file.
//
// usage: npx tsx scripts/runner-projects.ts <env>...
import { join } from 'node:path';
import { formatProblem, loadEnvironmentFile, planNames } from '../packages/config/src/index.js';

const projects: Record<string, string> = {};
let failed = false;
for (const env of process.argv.slice(2)) {
  const result = loadEnvironmentFile(join(import.meta.dirname, '..', 'environments', `${env}.yaml`));
  if (!result.ok) {
    failed = true;
    for (const p of result.problems) process.stderr.write(`environments/${env}.yaml: ${formatProblem(p)}\n`);
    continue;
  }
  projects[env] = planNames(result.config).runnerProject;
}
if (failed) process.exit(1);
process.stdout.write(JSON.stringify(projects) + '\n');
