#!/usr/bin/env -S npx tsx
// Renders the upstream Harbor and Velero charts (../shared/upstream/charts) with the values the
// CDK app installs them with, for every environment in environments/ and its variants, and
// checks every rendered object: Kubernetes 1.33 schema, CRDs, the Pod Security level of its
// namespace, `helm lint --strict`. The same checks as the chart tests (packages/manifests/test).
//
// usage: npx tsx scripts/render-charts.ts [--env NAME] [--out DIR]
//   --env NAME   only this environment (and its variants)
//   --out DIR    also write each rendering to DIR/<case>/<chart>.yaml, for review or `kubectl diff`
// Needs @harbor-platform/config built (`npx turbo run build --filter=@harbor-platform/config`)
// and helm (built by scripts/local-stack/install-go-tools on first use). Exit 0: no finding;
// 1: findings (one line each: object, field, problem, rule); 2: bad usage or a chart that is missing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chartCases } from '@harbor-platform/config/testing';
import { stringify } from 'yaml';
import { checkEnvironment, findingLines } from '../packages/manifests/test/chart-checks.js';

let args;
try {
  args = parseArgs({ options: { env: { type: 'string' }, out: { type: 'string' } }, strict: true }).values;
} catch (e) {
  console.error(`render-charts: ${(e as Error).message} (usage: npx tsx scripts/render-charts.ts [--env NAME] [--out DIR])`);
  process.exit(2);
}

const cases = chartCases().filter((c) => !args.env || c.config.name === args.env);
if (cases.length === 0) {
  console.error(`render-charts: --env: no environment named "${args.env}" in environments/: name one of its files without .yaml`);
  process.exit(2);
}

let findings = 0;
for (const c of cases) {
  const checks = checkEnvironment(c.config);
  if (!checks) {
    console.error(`render-charts: ${c.name}: a chart or CRD folder is missing under ../shared/upstream: see its README`);
    process.exit(2);
  }
  for (const check of checks) {
    const lines = findingLines(check);
    findings += lines.length;
    const what = `${check.release.ref.chart} ${check.release.ref.version} as ${check.release.release} in ${check.release.namespace} (${check.level})`;
    console.log(`${lines.length === 0 ? 'ok  ' : 'FAIL'} ${c.name}: ${what}: ${check.objects.length} objects`);
    for (const l of lines) console.log(`     ${l}`);
    if (args.out) {
      const dir = join(args.out, c.name.replace(/[^\w-]+/g, '-').replace(/-+$/, ''));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${check.release.name}.yaml`), check.objects.map((o) => stringify(o)).join('---\n'));
    }
  }
}
console.log(`render-charts: ${cases.length} cases, ${findings} findings`);
process.exit(findings === 0 ? 0 : 1);
