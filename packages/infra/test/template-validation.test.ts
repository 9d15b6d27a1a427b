import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './util.js';

interface Violation {
  ruleName: string;
  description: string;
}

interface Report {
  pluginReports: { pluginName: string; conclusion: string; violations: Violation[]; suppressedViolations?: (Violation & { reason: string })[] }[];
}

/**
 * aws-cdk-lib's CloudFormation template rules (schema, best practice) run here, on
 * every build; the app's synthesis skips them (apps/platform src/app.ts).
 */
describe('CloudFormation template rules on both environments', () => {
  let envs: SynthesizedEnvironment[];
  let reports: Report[];
  beforeAll(() => {
    envs = [synthesizeEnvironment('dev'), synthesizeEnvironment('prod')];
    reports = envs.map((env) => {
      const file = join(App.of(env.platform)!.outdir, 'validation-report.json');
      expect(existsSync(file), `${file} written by the synthesis`).toBe(true);
      return JSON.parse(readFileSync(file, 'utf8')) as Report;
    });
  }, SYNTH_TIMEOUT);

  it('ran the CloudFormation rules', () => {
    for (const r of reports) expect(r.pluginReports.map((p) => p.pluginName)).toContain('CloudFormation Validate');
  });

  it('leaves no violation unacknowledged', () => {
    for (const r of reports) {
      for (const p of r.pluginReports) expect(p.violations.map((v) => `${v.ruleName}: ${v.description}`), p.pluginName).toEqual([]);
    }
  });

  it('acknowledges only the named zones and the EKS encryption field, each with its reason', () => {
    const acknowledged = reports.flatMap((r) => r.pluginReports.flatMap((p) => p.suppressedViolations ?? []));
    expect([...new Set(acknowledged.map((v) => v.ruleName))].sort()).toEqual(['W3010', 'W9009']);
    for (const v of acknowledged) expect(v.reason.length).toBeGreaterThan(30);
  });
});
