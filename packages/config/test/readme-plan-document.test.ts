import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/index.js';
import { committedEnvironments, plannedEnvironment } from '../src/testing/index.js';

// The README's "Plan document" table is what an operator reads plan.json by: every field of a
// plan, at every depth, must be in it, so a field added to the plan without a word there fails here.
const root = findRepoRoot(import.meta.dirname)!;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split(/^### Plan document .*$/m)[1]!.split(/^## /m)[0]!;
const rows = section.split('\n').filter((l) => l.startsWith('| `'));
const code = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
/** The top-level fields a row's first column names (`minio.pools[]` names `minio`). */
const fieldsOf = (row: string) => code(row.split('|')[1]!).map((c) => c.split('.')[0]!.replace(/\[\]$/, ''));

/** Maps keyed by data rather than by field (each stack output's export, by its logical ID): their keys need no row. */
const KEYED_BY_DATA = ['names.exports.platform', 'names.exports.github'];

/** Every key below `value`, as `a.b.c` paths (an array's elements share their parent's path). */
function keyPaths(value: unknown, path: string, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {for (const e of value) keyPaths(e, path, out);} else if (value !== null && typeof value === 'object' && !KEYED_BY_DATA.includes(path)) {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${path}.${k}`);
      keyPaths(v, `${path}.${k}`, out);
    }
  }
  return out;
}

describe("README's plan document", () => {
  // The committed environments, and one that names its images instead of building them.
  const plans = [
    ...[...committedEnvironments().values()].map((e) => e.plan),
    plannedEnvironment('dev', (raw) => {
      raw.minio.image = 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e';
    }).plan,
  ];

  it('names every top-level field of the plans in its first column', () => {
    const documented = new Set(['formatVersion', ...rows.flatMap(fieldsOf)]);
    const fields = [...new Set(plans.flatMap((p) => Object.keys(p)))];
    expect(fields.length).toBeGreaterThan(10);
    expect(fields.filter((f) => !documented.has(f))).toEqual([]);
  });

  it("names every field below each top-level field in that field's rows", () => {
    const undocumented = new Set<string>();
    for (const plan of plans) {
      for (const [field, value] of Object.entries(plan)) {
        const words = new Set(rows.filter((r) => fieldsOf(r).includes(field)).flatMap((r) => code(r).flatMap((c) => c.split(/[^A-Za-z0-9_]+/))));
        for (const path of keyPaths(value, field, new Set())) if (!words.has(path.split('.').at(-1)!)) undocumented.add(path);
      }
    }
    expect([...undocumented]).toEqual([]);
  });
});
