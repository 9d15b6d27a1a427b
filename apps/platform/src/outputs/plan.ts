import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planEnvironment, planMarkdown, type EnvironmentConfig, type EnvironmentPlan, type Warning } from '@harbor-platform/config';

/** dist/<env>/plan.json and plan.md; returns the plan. */
export function writePlan(outdir: string, config: EnvironmentConfig, warnings: Warning[]): EnvironmentPlan {
  const plan = planEnvironment(config, warnings);
  writeFileSync(join(outdir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
  writeFileSync(join(outdir, 'plan.md'), planMarkdown(plan));
  return plan;
}
