#!/usr/bin/env -S npx tsx
// Prints what the workflows read from the plans, as one JSON object (projenrc/workflows/plans.ts
// types it as WorkflowPlans):
//   {"environments": {"<env>": {"names": <plan.names>, "drillCron": <plan.velero.drill.cron>}},
//    "roleJobMinutes": {"<workflow>": <ROLE_WORKFLOWS[workflow].timeoutMinutes>},
//    "harborAdminSecret": {"name": ..., "key": ...}, "images": [<PLATFORM_IMAGE_NAMES>]}
// for every environment in environments/, each validated and planned by packages/config (from its
// sources, so that projen needs no build first). `npx projen` runs it once: no name is derived in
// projenrc. Exit 1 with the problems of an invalid environment file.
//
// usage: node --import tsx scripts/workflow-plans.ts
import { relative } from 'node:path';
import {
  environmentFile,
  findRepoRoot,
  formatProblem,
  HARBOR_SECRET_KEYS,
  HARBOR_SECRETS,
  listEnvironments,
  loadEnvironmentFile,
  planEnvironment,
  PLATFORM_IMAGE_NAMES,
  ROLE_WORKFLOWS,
} from '../packages/config/src/index.js';

// HARBOR_PLATFORM_ROOT names another checkout (findRepoRoot), as the CLI takes it.
const root = findRepoRoot(import.meta.dirname)!;
const environments: Record<string, { names: unknown; drillCron: string }> = {};
let failed = false;
for (const env of listEnvironments(root)) {
  const file = environmentFile(env, root)!;
  const result = loadEnvironmentFile(file);
  if (!result.ok) {
    failed = true;
    for (const p of result.problems) process.stderr.write(`${relative(root, file)}: ${formatProblem(p)}\n`);
    continue;
  }
  const plan = planEnvironment(result.config, result.warnings);
  // GitHub compares `github.event.schedule` with the cron as written under `on.schedule`: one space between fields.
  environments[env] = { names: plan.names, drillCron: plan.drill.cron.trim().split(/\s+/).join(' ') };
}
if (failed) process.exit(1);
process.stdout.write(JSON.stringify({
  environments,
  roleJobMinutes: Object.fromEntries(Object.entries(ROLE_WORKFLOWS).map(([name, w]) => [name, w.timeoutMinutes])),
  harborAdminSecret: { name: HARBOR_SECRETS.adminPassword, key: HARBOR_SECRET_KEYS.adminPassword },
  images: PLATFORM_IMAGE_NAMES,
}) + '\n');
