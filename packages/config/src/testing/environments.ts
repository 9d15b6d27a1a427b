import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { TestingError } from '../errors.js';
import { environmentFile, findRepoRoot, listEnvironments, loadEnvironmentText } from '../load.js';
import { planEnvironment, type EnvironmentPlan } from '../plan.js';
import { formatProblem } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/** A validated environment and its plan, as every package's tests take them. */
export interface PlannedEnvironment {
  readonly config: EnvironmentConfig;
  readonly plan: EnvironmentPlan;
}

/**
 * The raw (unvalidated) contents of a committed environment (`environments/<name>.yaml` of the
 * repository holding this package), a fresh copy each call, for tests that change a field.
 * @throws when the file does not exist.
 */
export function rawEnvironment(name: string, root = findRepoRoot(import.meta.dirname)): any {
  const file = root === undefined ? undefined : environmentFile(name, root);
  if (!file) throw new TestingError(`environments/${name}.yaml does not exist below ${root}`);
  return parse(readFileSync(file, 'utf8'));
}

/**
 * A committed environment, optionally changed by `mutate` (on the raw YAML, before validation),
 * validated and planned: the one environment loader of every package's tests.
 * @throws naming every problem when the (changed) environment does not validate.
 */
export function plannedEnvironment(name: string, mutate: (raw: any) => void = () => {}, root?: string): PlannedEnvironment {
  const raw = rawEnvironment(name, root);
  mutate(raw);
  const r = loadEnvironmentText(stringify(raw), raw.name);
  if (!r.ok) throw new TestingError(`environments/${name}.yaml (changed by the test) does not validate: ${r.problems.map(formatProblem).join('; ')}`);
  return { config: r.config, plan: planEnvironment(r.config, r.warnings) };
}

/** Every committed environment, planned, by name (sorted). */
export function committedEnvironments(root = findRepoRoot(import.meta.dirname)): Map<string, PlannedEnvironment> {
  return new Map((root === undefined ? [] : listEnvironments(root)).map((name) => [name, plannedEnvironment(name, undefined, root)]));
}
