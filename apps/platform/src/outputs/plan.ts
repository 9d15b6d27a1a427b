import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planMarkdown, type EnvironmentPlan } from '@harbor-platform/config';

/** `plan.md` beside `plan.json` in the environment's output folder (`plan.names.outputs.dir`). */
export function planMarkdownFile(plan: EnvironmentPlan): string {
  return join(plan.names.outputs.dir, 'plan.md');
}

/** `<dist>/<plan.names.outputs.plan>` (plan.json) and plan.md beside it. */
export function writePlan(dist: string, plan: EnvironmentPlan): void {
  const file = join(dist, plan.names.outputs.plan);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(plan, null, 2) + '\n');
  writeFileSync(join(dist, planMarkdownFile(plan)), planMarkdown(plan));
}
