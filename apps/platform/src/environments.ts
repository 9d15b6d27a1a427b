import { environmentFile, findRepoRoot, formatProblem, listEnvironments, loadEnvironmentFile, planEnvironment } from '@harbor-platform/config';
import type { PlannedEnvironment } from './app.js';

/** Every environment in environments/, each planned once, or the problems that stop them (each line "file: path: what: fix"). */
export function loadAllEnvironments(root = findRepoRoot()): { environments: PlannedEnvironment[]; problems: string[] } {
  if (!root) return { environments: [], problems: ['no environments/ folder found above the current directory'] };
  const environments: PlannedEnvironment[] = [];
  const problems: string[] = [];
  for (const name of listEnvironments(root)) {
    const result = loadEnvironmentFile(environmentFile(name, root)!);
    if (result.ok) environments.push({ config: result.config, plan: planEnvironment(result.config, result.warnings) });
    else problems.push(...result.problems.map((p) => `environments/${name}.yaml: ${formatProblem(p)}`));
  }
  return { environments, problems };
}
