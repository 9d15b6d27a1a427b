import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './util.js';

/** ../shared/upstream beside the checkout (see the brief); never copied into the repo. */
export const UPSTREAM = join(REPO_ROOT, '..', 'shared', 'upstream');

/**
 * The text of an upstream file, or undefined when the folder is missing. Missing
 * data fails under CI and is reported as "not run" elsewhere, never passed silently.
 */
export function upstreamText(relative: string): string | undefined {
  const path = join(UPSTREAM, relative);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  if (process.env.CI) throw new Error(`upstream data missing under CI: ${path}`);
  console.warn(`NOT RUN: ${path} is missing, so this conformance check did not run`);
  return undefined;
}
