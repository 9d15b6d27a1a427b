/**
 * What the workflow tests share: the generated workflows as GitHub reads them, the committed
 * environments' plans (through `@harbor-platform/config/testing`, the one loader), and a
 * stand-in `npx` that runs the repository's own CLI, as `npx --no harbor-platform` does after `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@harbor-platform/config';
import { committedEnvironments } from '@harbor-platform/config/testing';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = findRepoRoot(import.meta.dirname)!;
export const WORKFLOWS_DIR = join(ROOT, '.github/workflows');

/** The generated workflow files (`*.yml`), by file name. */
export const workflowFiles = (): string[] => readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.yml')).sort();
export const workflowText = (name: string): string => readFileSync(join(WORKFLOWS_DIR, name), 'utf8');
/** A workflow parsed as GitHub reads it. */
export const loadWorkflow = (name: string): any => parse(workflowText(name));

/** The jobs of a parsed workflow, by id. */
export const jobsOf = (wf: any): [string, any][] => Object.entries(wf.jobs);
/** A job's steps (none for a job that calls a reusable workflow). */
export const stepsOf = (job: any): any[] => job.steps ?? [];

/** Every committed environment's config and plan, by name (sorted). */
export const environments = committedEnvironments(ROOT);
export const ENVIRONMENTS = [...environments.keys()];
/** A committed environment's plan. */
export const planOf = (env: string) => {
  const p = environments.get(env);
  if (!p) throw new Error(`no committed environment ${env}: known are ${ENVIRONMENTS.join(', ')}`);
  return p.plan;
};

/** The CLI's launcher (bin/ of packages/ops): it runs the bundle or the tsc build, whichever is newer. */
export const CLI_BIN = join(ROOT, 'packages/ops/bin/harbor-platform.js');

/**
 * A bash function standing in for `npx`: `npx --no harbor-platform <args>` runs the repository's
 * CLI with this Node; anything else fails loudly (a step must call nothing else through npx).
 */
export const npxStandIn = [
  'npx() {',
  `  if [ "$1" = --no ] && [ "$2" = harbor-platform ]; then shift 2; "${process.execPath}" "${CLI_BIN}" "$@"; return; fi`,
  '  echo "stand-in npx: unexpected call: npx $*" >&2; return 127',
  '}',
  '',
].join('\n');

/**
 * A value of a workflow as GitHub evaluates it for one environment: each
 * `${{ fromJSON('<table>')[matrix.env | inputs.environment] }}` looked up in its table, each
 * `${{ matrix.env }}` and `${{ inputs.environment }}` replaced by `env`; other expressions stay.
 */
export function forEnvironment(value: string, env: string): string {
  return value
    .replace(/\$\{\{ fromJSON\('(\{.*?\})'\)\[(?:matrix\.env|inputs\.environment)\] \}\}/g, (_all, table: string) => JSON.parse(table)[env] ?? '<none>')
    .replace(/\$\{\{\s*(?:matrix\.env|inputs\.environment)\s*\}\}/g, env);
}

/**
 * Runs a resolveTarget step's script (`id: target`) after its `plan --json` line, on `plan`
 * written where that line writes it, with the CLI standing in for `npx`: the step outputs
 * (`$GITHUB_OUTPUT` lines `key=value`) a job reads as `steps.target.outputs.<key>`.
 */
export function targetOutputs(script: string, plan: unknown, env: string): Record<string, string> {
  const [planCall, ...rest] = script.split('\n');
  if (!/harbor-platform plan --env "\$HP_ENV" --json > "\$RUNNER_TEMP\/plan\.json"/.test(planCall ?? '')) throw new Error(`not a resolveTarget script: ${planCall}`);
  const tmp = mkdtempSync(join(tmpdir(), 'hp-target-'));
  try {
    writeFileSync(join(tmp, 'plan.json'), JSON.stringify(plan));
    const output = join(tmp, 'output');
    writeFileSync(output, '');
    execFileSync('bash', ['-e', '-c', npxStandIn + rest.join('\n')], { env: { PATH: process.env.PATH, RUNNER_TEMP: tmp, GITHUB_OUTPUT: output, HP_ENV: env }, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
