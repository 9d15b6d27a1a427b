/**
 * The generator's own parts: what it reads from the plans (scripts/workflow-plans.ts, run once
 * per `npx projen`) is the plans' own data, an invalid environment stops it with the config's
 * problem lines, names are looked up per environment (never derived), and pinned actions carry
 * their versions.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HARBOR_SECRET_KEYS, HARBOR_SECRETS, PLATFORM_IMAGE_NAMES, ROLE_WORKFLOWS } from '@harbor-platform/config';
import { afterAll, describe, expect, it } from 'vitest';
import { perEnvironment, readWorkflowPlans } from '../workflows/plans';
import { annotatePins, PINNED_ACTIONS } from '../workflows/workflow-file';
import { ENVIRONMENTS, planOf, ROOT } from './support/workflows.js';

const plans = readWorkflowPlans(ROOT);

describe('what the generator reads from the plans', () => {
  it("is every committed environment's plan.names and drill cron, as packages/config plans them", () => {
    expect(Object.keys(plans.environments).sort()).toEqual(ENVIRONMENTS);
    for (const env of ENVIRONMENTS) {
      const plan = planOf(env);
      expect(plans.environments[env]!.names).toEqual(JSON.parse(JSON.stringify(plan.names)));
      expect(plans.environments[env]!.drillCron).toBe(plan.drill.cron.trim().split(/\s+/).join(' '));
    }
  });

  it('carries the role workflows\' timeouts, the admin Secret and the image names from packages/config', () => {
    expect(plans.roleJobMinutes).toEqual(Object.fromEntries(Object.entries(ROLE_WORKFLOWS).map(([k, w]) => [k, w.timeoutMinutes])));
    expect(plans.harborAdminSecret).toEqual({ name: HARBOR_SECRETS.adminPassword, key: HARBOR_SECRET_KEYS.adminPassword });
    expect(plans.images).toEqual(PLATFORM_IMAGE_NAMES);
  });

  const broken = mkdtempSync(join(tmpdir(), 'hp-workflow-plans-'));
  afterAll(() => rmSync(broken, { recursive: true, force: true }));

  it('stops on an invalid environment with the config\'s "path: problem: fix" line, naming the file, and no stack trace', () => {
    cpSync(join(ROOT, 'environments'), join(broken, 'environments'), { recursive: true });
    writeFileSync(join(broken, 'turbo.json'), '{}');
    writeFileSync(join(broken, 'environments', 'dev.yaml'), 'name: dev\n');
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/workflow-plans.ts')], { cwd: ROOT, env: { ...process.env, HARBOR_PLATFORM_ROOT: broken }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      expect.unreachable('the script accepted an environment without its required fields');
    } catch (err) {
      const e = err as { status: number; stderr: string };
      expect(e.status).toBe(1);
      stderr = e.stderr;
    }
    expect(stderr).toMatch(/^environments\/dev\.yaml: \S+: .+/m);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});

describe('perEnvironment', () => {
  const table = { dev: 'dev-operations', prod: 'prod-operations' };

  it('gives the value of a literal environment', () => {
    expect(perEnvironment(table, 'prod', 'operations GitHub environment')).toBe('prod-operations');
  });

  it('looks an expression up in a literal table, as GitHub evaluates it', () => {
    expect(perEnvironment(table, '${{ matrix.env }}', 'x')).toBe(`\${{ fromJSON('{"dev":"dev-operations","prod":"prod-operations"}')[matrix.env] }}`);
  });

  it('refuses an environment without a value, naming what is missing and the known ones', () => {
    expect(() => perEnvironment(table, 'staging', 'operations GitHub environment')).toThrow('no operations GitHub environment for environment "staging": known are dev, prod');
  });
});

describe('pin comments', () => {
  const [action, pin] = Object.entries(PINNED_ACTIONS)[0]!;

  it("append the pinned version to a `uses:` line of the pinned commit, once", () => {
    const text = `steps:\n  - uses: ${action}@${pin.sha}\n`;
    const once = annotatePins(text);
    expect(once).toBe(`steps:\n  - uses: ${action}@${pin.sha} # ${pin.version}\n`);
    expect(annotatePins(once)).toBe(once);
  });

  it('leave another commit of the action, and an unknown action, as they are', () => {
    const text = `  - uses: ${action}@${'0'.repeat(40)}\n  - uses: someone/else@${pin.sha}\n`;
    expect(annotatePins(text)).toBe(text);
  });
});
