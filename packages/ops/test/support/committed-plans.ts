import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { environmentFile, loadEnvironmentFile, planEnvironment, type EnvironmentPlan } from '@harbor-platform/config';

/** The plan of every committed environment (`environments/*.yaml` below `root`), by name, sorted. */
export function committedPlans(root: string): Map<string, EnvironmentPlan> {
  const names = readdirSync(join(root, 'environments')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
  return new Map(names.map((name) => {
    const r = loadEnvironmentFile(environmentFile(name, root)!);
    if (!r.ok) throw new Error(`environments/${name}.yaml does not load`);
    return [name, planEnvironment(r.config, r.warnings)];
  }));
}
