/**
 * Every `harbor-platform <command> --option...` line the generated workflows run, checked against
 * the CLI itself (its launcher, as `npx --no harbor-platform` runs it after `npm ci`): the command
 * exists, and each option it passes is one the command's help declares.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { HARBOR_SECRET_KEYS, HARBOR_SECRETS } from '@harbor-platform/config';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, loadWorkflow, workflowFiles, workflowText } from './support/workflows.js';

/** Every `harbor-platform <command> <options...>` line the workflows run, with where it is. */
function invocations() {
  const found: { where: string; command: string; options: string[] }[] = [];
  for (const file of workflowFiles()) {
    const wf = loadWorkflow(file);
    for (const [jobId, job] of Object.entries<{ steps?: { name?: string; run?: string }[] }>(wf.jobs)) {
      for (const step of job.steps ?? []) {
        for (const line of (step.run ?? '').split('\n')) {
          const m = /harbor-platform (\S+)(.*)$/.exec(line);
          if (m) found.push({ where: `${file} ${jobId} "${step.name}"`, command: m[1]!, options: [...m[2]!.matchAll(/--([a-z-]+)/g)].map((o) => o[1]!) });
        }
      }
    }
  }
  return found;
}

const calls = invocations();

/** `harbor-platform <command> --help`, once per command. */
const helps = new Map<string, { status: number | null; text: string }>();
function help(command: string) {
  if (!helps.has(command)) {
    const r = spawnSync(process.execPath, [CLI_BIN, command, '--help'], { encoding: 'utf8', timeout: 60_000 });
    helps.set(command, { status: r.status, text: `${r.stdout}${r.stderr}` });
  }
  return helps.get(command)!;
}

describe('commands the workflows run', () => {
  it('the workflows run the CLI for plan, github-outputs, smoke, harbor-gc, drift, drill, report and restore', () => {
    expect([...new Set(calls.map((c) => c.command))].sort()).toEqual(['drift', 'drill', 'github-outputs', 'harbor-gc', 'plan', 'report', 'restore', 'smoke']);
  });

  it.each(calls.map((c) => [c.where, c] as const))('%s: the command exists and its --help exits 0', (_where, call) => {
    const h = help(call.command);
    expect(h.status, h.text).toBe(0);
    expect(h.text).toMatch(new RegExp(`^usage: harbor-platform ${call.command}`));
  });

  it.each(calls.map((c) => [c.where, c] as const))('%s: every option it passes is one the command declares', (_where, call) => {
    const declared = new Set([...help(call.command).text.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!));
    for (const option of call.options) expect([...declared], `--${option}`).toContain(option);
  });

  it("the smoke step reads Harbor's admin password from the Secret packages/config names", () => {
    expect(workflowText('deploy.yml')).toContain(`kubectl get secret -n "$HP_HARBOR_NS" ${HARBOR_SECRETS.adminPassword} -o jsonpath='{.data.${HARBOR_SECRET_KEYS.adminPassword}}'`);
  });

  it('an unknown command would be caught: the CLI refuses it with exit 2', () => {
    expect(() => execFileSync(process.execPath, [CLI_BIN, 'no-such-command', '--help'], { stdio: 'pipe' })).toThrow(expect.objectContaining({ status: 2 }));
  });
});
