import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crossEnvironmentProblems, environmentFile, formatProblem, listEnvironments, loadEnvironmentFile, planEnvironment, statefulSetChanges, type EnvironmentFile } from '@harbor-platform/config';
import { synthesizeApp } from './app.js';
import { writeManifests } from './outputs/manifests.js';
import { writePlan } from './outputs/plan.js';
import { writeSummary, type EnvironmentOutputs } from './outputs/summary.js';

/** Where synthesis reports. @default the summary on stdout, progress on stderr (none under CI) */
export interface SynthIo {
  readonly out: (text: string) => void;
  readonly progress: (text: string) => void;
}

const CONSOLE: SynthIo = {
  out: (t) => process.stdout.write(t),
  progress: (t) => {
    if (!process.env.CI) process.stderr.write(`${t}\n`);
  },
};

/**
 * The main job (`npm run synth`): validate every environment in environments/, then
 * write each one's outputs under apps/platform/dist/<env>/ and the CDK assembly of
 * all of them into apps/platform/cdk.out/. Fails with every problem of every
 * environment at once, and changes no output unless every step succeeded. Ends with
 * a summary per environment (also written to dist/summary.txt and summary.json).
 */
export function synthAll(root: string, synthesize: typeof synthesizeApp = synthesizeApp, io: SynthIo = CONSOLE): number {
  const names = listEnvironments(root);
  const loaded = names.map((name) => ({ name, result: loadEnvironmentFile(environmentFile(name, root)!) }));
  const bad = loaded.filter((l) => !l.result.ok);
  for (const { name, result } of bad) {
    console.error(`environments/${name}.yaml:\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  if (bad.length > 0) return 1;
  // A file copied from another environment and not renamed throughout shares its buckets, secrets or VPC range.
  const files: EnvironmentFile[] = loaded.flatMap(({ name, result }) => (result.ok ? [{ file: `environments/${name}.yaml`, config: result.config }] : []));
  let shared = false;
  for (const me of files) {
    const problems = crossEnvironmentProblems(me, files.filter((f) => f !== me));
    if (problems.length === 0) continue;
    shared = true;
    console.error(`${me.file}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  if (shared) return 1;

  // Everything is written beside the outputs first and swapped in at the end, so a failure
  // (a construct refusing its props, a full disk) leaves the previous outputs as they were.
  const dist = resolve(root, 'apps/platform/dist');

  // A change a StatefulSet cannot take in place fails the deploy halfway: refuse it here,
  // against the plan synthesized before (the outputs are only replaced when synth succeeds).
  let refused = false;
  for (const { name, result } of loaded) {
    if (!result.ok) continue;
    const file = join(dist, name, 'plan.json');
    const changes = statefulSetChanges(previousPlan(file), planEnvironment(result.config));
    if (changes.length === 0) continue;
    refused = true;
    console.error(`environments/${name}.yaml (against ${file}):\n${changes.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  if (refused) return 1;
  const cdkOut = resolve(root, 'apps/platform/cdk.out');
  const staged = { dist: `${dist}.staging`, cdkOut: `${cdkOut}.staging` };
  for (const dir of Object.values(staged)) rmSync(dir, { recursive: true, force: true });
  let summary: string;
  try {
    const outputs: EnvironmentOutputs[] = [];
    for (const { name, result } of loaded) {
      if (!result.ok) continue;
      io.progress(`synth: ${name}: plan, manifests and values`);
      const outdir = join(staged.dist, name);
      mkdirSync(outdir, { recursive: true });
      const plan = writePlan(outdir, result.config, result.warnings);
      const manifests = writeManifests(outdir, result.config);
      outputs.push({ plan, dir: join(dist, name), manifests });
    }
    // The CDK app of every environment, offline: no credentials, no lookups.
    io.progress(`synth: CDK app of ${names.join(', ')} (with cdk-nag's AWS Solutions checks)`);
    const environments = loaded.flatMap(({ result }) =>
      (result.ok ? [{ config: result.config, plan: planEnvironment(result.config, result.warnings) }] : []));
    const assembly = synthesize(environments, staged.cdkOut);
    summary = writeSummary(staged.dist, { environments: outputs, cdkOut, stacks: assembly.stacks.map((s) => s.stackName) }, root);
  } catch (e) {
    for (const dir of Object.values(staged)) rmSync(dir, { recursive: true, force: true });
    console.error(`synth: ${(e as Error).message}\nsynth: nothing was changed in ${dist} or ${cdkOut}`);
    return 1;
  }
  // Replacing whole folders also drops the outputs of an environment that no longer exists.
  for (const [target, from] of [[dist, staged.dist], [cdkOut, staged.cdkOut]] as const) {
    rmSync(target, { recursive: true, force: true });
    renameSync(from, target);
  }
  io.out(summary);
  return 0;
}


/** An earlier plan.json, or nothing to compare with when there is none or it is not JSON. */
function previousPlan(file: string): object {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as object;
  } catch {
    return {};
  }
}
