import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/index.js';
import { committedEnvironments } from '../src/testing/index.js';

// The README's "Plan document" table is what an operator reads plan.json by: every top-level
// field of a plan, and every name under `names`, must be in it, so a field added to the plan
// without a word there fails here.
const root = findRepoRoot(import.meta.dirname)!;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split(/^### Plan document .*$/m)[1]!.split(/^## /m)[0]!;
const rows = section.split('\n').filter((l) => l.startsWith('| `'));
const code = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe("README's plan document", () => {
  const plans = [...committedEnvironments().values()].map((e) => e.plan);

  it('names every top-level field of the committed plans in its first column', () => {
    const documented = new Set(['formatVersion', ...rows.flatMap((r) => code(r.split('|')[1]!).map((c) => c.split('.')[0]!.replace(/\[\]$/, '')))]);
    const fields = [...new Set(plans.flatMap((p) => Object.keys(p)))];
    expect(fields.length).toBeGreaterThan(10);
    expect(fields.filter((f) => !documented.has(f))).toEqual([]);
  });

  it('names every key of plan.names in the names row', () => {
    const row = rows.find((r) => r.startsWith('| `names` |'));
    expect(row).toBeDefined();
    const documented = new Set(code(row!.split('|')[2]!).flatMap((c) => c.split('.')));
    const keys = [...new Set(plans.flatMap((p) => Object.keys(p.names)))];
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
  });
});
