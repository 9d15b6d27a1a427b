#!/usr/bin/env node
// `npm test`: every package's tests through turbo, then the workflow tests (projenrc/test, the
// root task test:workflows: they run the CLI the turbo run has built), then one closing line
// for all of them. Each vitest run writes .vitest/results.json (a package's is kept in turbo's
// cache with the logs). Arguments go to turbo; with a --filter the workflow tests are left out.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const workspaces = ['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)));
const resultFile = (dir) => join(dir, '.vitest', 'results.json');

const turbo = spawnSync('npx', ['turbo', 'run', 'test', '--concurrency=1', ...args], { cwd: root, stdio: 'inherit' });

const suites = [...workspaces];
let workflows = { status: 0 };
if (!args.some((a) => a.startsWith('--filter'))) {
  const projenrc = join(root, 'projenrc');
  // A stale report must not count for a run that could not write one.
  rmSync(resultFile(projenrc), { force: true });
  workflows = spawnSync('npx', ['projen', 'test:workflows'], { cwd: root, stdio: 'inherit' });
  suites.push(projenrc);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const dir of suites) {
  if (!existsSync(resultFile(dir))) continue;
  const r = JSON.parse(readFileSync(resultFile(dir), 'utf8'));
  // A file that fails to load counts no test: count the file instead, so the line shows the failure.
  const failures = r.numFailedTests || r.numFailedTestSuites || 0;
  passed += r.numPassedTests;
  failed += failures;
  skipped += r.numPendingTests + r.numTodoTests;
  const unit = r.numFailedTests === 0 && failures > 0 ? ' test file(s)' : '';
  rows.push(`  ${dir.slice(root.length + 1).padEnd(20)} ${r.numPassedTests} passed, ${failures}${unit} failed`);
}
console.log(`\nTests by package:\n${rows.join('\n')}`);
const status = turbo.status !== 0 ? (turbo.status ?? 1) : (workflows.status ?? 1);
if (status !== 0 && failed === 0) failed = 1; // a run failed before reporting
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);
