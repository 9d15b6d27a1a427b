import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environmentFile, findRepoRoot, formatProblem, listEnvironments, loadEnvironmentFile } from '@harbor-platform/config';
import { synthesizeApp } from './app.js';
import { writeManifests } from './outputs/manifests.js';
import { writePlan } from './outputs/plan.js';

/**
 * The main job (`npm run synth`): validate every environment in environments/, then
 * write each one's outputs under apps/platform/dist/<env>/. Fails with every problem
 * of every environment at once, before writing anything for any of them.
 */
function main(): number {
  const root = findRepoRoot();
  if (!root) {
    console.error('synth: no environments/ folder found above the current directory');
    return 1;
  }
  const names = listEnvironments(root);
  const loaded = names.map((name) => ({ name, result: loadEnvironmentFile(environmentFile(name, root)!) }));
  const bad = loaded.filter((l) => !l.result.ok);
  for (const { name, result } of bad) {
    console.error(`environments/${name}.yaml:\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  if (bad.length > 0) return 1;

  const dist = resolve(root, 'apps/platform/dist');
  for (const { name, result } of loaded) {
    if (!result.ok) continue;
    const outdir = join(dist, name);
    mkdirSync(outdir, { recursive: true });
    writePlan(outdir, result.config, result.warnings);
    console.log(`synth: ${name}: plan written to ${outdir}`);
    console.log(`synth: ${name}: manifests (${writeManifests(outdir, result.config).join(', ')}) and values written`);
  }

  // The CDK app of every environment, offline: no credentials, no lookups.
  const cdkOut = resolve(root, 'apps/platform/cdk.out');
  try {
    const assembly = synthesizeApp(loaded.flatMap(({ result }) => (result.ok ? [{ config: result.config, warnings: result.warnings }] : [])), cdkOut);
    console.log(`synth: CDK app: ${assembly.stacks.map((s) => s.stackName).join(', ')} written to ${cdkOut}`);
  } catch (e) {
    console.error(`synth: CDK app: ${(e as Error).message}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
