import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rawEnvironment } from './util.js';
import { loadEnvironmentText } from '../src/index.js';

/** Every leaf path of a value, as key arrays. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}

const base = rawEnvironment('dev');
const paths = leafPaths(base);

/** Values that are wrong for every field of the schema (no field accepts null, objects or huge numbers). */
const badValue = fc.oneof(fc.constant(null), fc.constant({ nested: true }), fc.constant(-1e12), fc.constant('Harbor12345'), fc.constant([[]]));
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));

/** A config with at least one field broken for sure and others randomly changed. */
const malformed = fc.record({
  broken: fc.constantFrom(...paths),
  value: badValue,
  noise: fc.array(fc.tuple(fc.constantFrom(...paths), anyValue), { maxLength: 4 }),
  dropped: fc.array(fc.constantFrom(...paths), { maxLength: 3 }),
});

function setAt(obj: any, path: (string | number)[], value: unknown) {
  const parent = path.slice(0, -1).reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
  if (parent && typeof parent === 'object') parent[path[path.length - 1]!] = value;
}

describe('validation of generated malformed configs', () => {
  it('never throws, always refuses, and names a path in every problem (1,000 cases)', () => {
    fc.assert(
      fc.property(malformed, ({ broken, value, noise, dropped }) => {
        const raw = structuredClone(base);
        for (const [p, v] of noise) setAt(raw, p, v);
        for (const p of dropped) setAt(raw, p, undefined);
        setAt(raw, broken, value);
        const result = loadEnvironmentText(stringify(raw), 'dev');
        expect(result.ok).toBe(false);
        expect(result.problems.length).toBeGreaterThan(0);
        for (const p of result.problems) {
          expect(p.path).toMatch(/\S/);
          expect(p.message).toMatch(/\S/);
          expect(p.fix).toMatch(/\S/);
        }
      }),
      { numRuns: 1000, seed: 20261125 },
    );
  }, 120_000);

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = loadEnvironmentText(text, 'dev');
        expect(result.ok).toBe(false);
        for (const p of result.problems) expect(p.path.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000, seed: 7 },
    );
  }, 120_000);
});
