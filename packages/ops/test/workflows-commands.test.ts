import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARBOR_SECRET_KEYS, HARBOR_SECRETS } from '@harbor-platform/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli.js';
import { COMMANDS } from '../src/commands/index.js';

const DIR = join(import.meta.dirname, '../../../.github/workflows');

/** Every `harbor-platform <command> <options...>` line the workflows run, with where it is. */
function invocations() {
  const found: { where: string; command: string; options: string[] }[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yml'))) {
    const wf = parse(readFileSync(join(DIR, file), 'utf8'));
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
const buffer = () => {
  const out: string[] = [];
  return { out, io: { out: (t: string) => out.push(t), err: (t: string) => out.push(t) } };
};

describe('commands the workflows run', () => {
  it('the workflows run the CLI for plan, smoke, harbor-gc, drift, drill, report and restore', () => {
    expect([...new Set(calls.map((c) => c.command))].sort()).toEqual(['drift', 'drill', 'harbor-gc', 'plan', 'report', 'restore', 'smoke']);
  });

  it.each(calls.map((c) => [c.where, c] as const))('%s: the command exists and its --help exits 0', async (_where, call) => {
    const b = buffer();
    expect(await main([call.command, '--help'], b.io)).toBe(0);
    expect(b.out.join('\n')).toMatch(new RegExp(`^usage: harbor-platform ${call.command}`));
  });

  it.each(calls.map((c) => [c.where, c] as const))('%s: every option it passes is one the command declares', async (_where, call) => {
    const command = await COMMANDS.find((c) => c.name === call.command)!.load();
    for (const option of call.options) expect(Object.keys(command.options), `--${option}`).toContain(option);
  });

  it("the smoke step reads Harbor's admin password from the Secret packages/config names", () => {
    const deploy = readFileSync(join(DIR, 'deploy.yml'), 'utf8');
    expect(deploy).toContain(`kubectl get secret -n "$HP_HARBOR_NS" ${HARBOR_SECRETS.adminPassword} -o jsonpath='{.data.${HARBOR_SECRET_KEYS.adminPassword}}'`);
  });

  it('an unknown command would be caught: main refuses it with exit 2', async () => {
    expect(await main(['no-such-command', '--help'], buffer().io)).toBe(2);
  });
});
