import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../src/cli.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const base = parse(readFileSync(join(REPO, 'environments', 'dev.yaml'), 'utf8'));

function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}
const paths = leafPaths(base);

function setAt(obj: any, path: (string | number)[], value: unknown) {
  const parent = path.slice(0, -1).reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
  if (parent && typeof parent === 'object') parent[path[path.length - 1]!] = value;
}

// A field set to a value no field accepts, plus random damage elsewhere.
const malformed = fc.record({
  broken: fc.constantFrom(...paths),
  value: fc.oneof(fc.constant(null), fc.constant({ x: 1 }), fc.constant(-1e12), fc.constant('minioadmin')),
  noise: fc.array(fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.string(), fc.integer(), fc.boolean())), { maxLength: 4 }),
});

describe('validate on generated malformed configs', () => {
  it('exits 1 without an escaped exception, and every problem line names a path (1,000 files)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-prop-'));
    const file = join(dir, 'dev.yaml');
    await fc.assert(
      fc.asyncProperty(malformed, async ({ broken, value, noise }) => {
        const raw = structuredClone(base);
        for (const [p, v] of noise) setAt(raw, p, v);
        setAt(raw, broken, value);
        writeFileSync(file, stringify(raw));
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(['validate', file], { out: (t) => out.push(t), err: (t) => err.push(t) });
        expect(code).toBe(1);
        expect(err.join('\n')).not.toContain('unexpected error');
        expect(out).toEqual([]);
        // The problems, then the count line.
        const lines = err.join('\n').trim().split('\n').filter((l) => !l.startsWith('warning: ')).slice(0, -1);
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) expect(line).toMatch(/^(\(file\)|\(rules\)|line \d+, column \d+|[A-Za-z][\w.[\]]*): \S.*: \S/);
      }),
      { numRuns: 1000, seed: 42 },
    );
  }, 120_000);
});
