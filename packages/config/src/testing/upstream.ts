import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamDataMissing } from '../errors.js';
import { findRepoRoot } from '../load.js';

/**
 * Upstream reference data for conformance tests: `../shared/upstream` beside the
 * checkout, read in place and never copied into the repository.
 */
export const UPSTREAM = join(findRepoRoot(import.meta.dirname) ?? '.', '..', 'shared', 'upstream');

/**
 * The path of an upstream file, or undefined when it is missing. Missing data fails
 * under CI and is reported as "NOT RUN" elsewhere, never passed silently.
 * @param what the check that needs it, for the messages
 */
export function upstreamPath(relative: string, what = 'this conformance check'): string | undefined {
  const path = join(UPSTREAM, relative);
  if (existsSync(path)) return path;
  if (process.env.CI) throw new UpstreamDataMissing(`upstream data missing under CI: ${path} (needed by ${what})`);
  console.warn(`NOT RUN: ${what}, because ${path} is missing`);
  return undefined;
}

/** The text of an upstream file, or undefined when it is missing (see `upstreamPath`). */
export function upstreamText(relative: string, what?: string): string | undefined {
  const path = upstreamPath(relative, what);
  return path === undefined ? undefined : readFileSync(path, 'utf8');
}
