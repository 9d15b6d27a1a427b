import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { formatProblem, loadEnvironmentText, type LoadResult } from '../src/index.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

/** The raw (unvalidated) contents of environments/<name>.yaml, a fresh copy each call. */
export function rawEnvironment(name: 'dev' | 'prod' = 'dev'): any {
  return parse(readFileSync(join(REPO_ROOT, 'environments', `${name}.yaml`), 'utf8'));
}

/** Loads a mutated copy of an environment. */
export function loadWith(mutate: (raw: any) => void, name: 'dev' | 'prod' = 'dev'): LoadResult {
  const raw = rawEnvironment(name);
  mutate(raw);
  return loadEnvironmentText(stringify(raw), raw.name);
}

/** The formatted problem lines of a mutated environment. */
export function problemsWith(mutate: (raw: any) => void, name: 'dev' | 'prod' = 'dev'): string[] {
  return loadWith(mutate, name).problems.map(formatProblem);
}

/**
 * The schema's problem lines of a mutated environment, without the "(rules): ... not checked"
 * line the loader adds when a section fails the schema (tests of one schema message).
 */
export function schemaProblemsWith(mutate: (raw: any) => void, name: 'dev' | 'prod' = 'dev'): string[] {
  return problemsWith(mutate, name).filter((l) => !l.startsWith('(rules): '));
}
