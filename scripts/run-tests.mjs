#!/usr/bin/env node
// `npm test`: every package's tests through turbo, then one closing line for all of them.
// Each package's vitest writes .vitest/results.json (kept in turbo's cache with the logs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const workspaces = ['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)));
const resultFile = (ws) => join(ws, '.vitest', 'results.json');

const turbo = spawnSync('npx', ['turbo', 'run', 'test', '--concurrency=1', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const ws of workspaces) {
  if (!existsSync(resultFile(ws))) continue;
  const r = JSON.parse(readFileSync(resultFile(ws), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  rows.push(`  ${ws.slice(root.length + 1).padEnd(20)} ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
console.log(`\nTests by package:\n${rows.join('\n')}`);
if (turbo.status !== 0 && failed === 0) failed = 1; // a package failed before reporting
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(turbo.status ?? 1);
