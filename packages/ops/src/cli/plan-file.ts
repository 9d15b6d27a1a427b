import { readFileSync } from 'node:fs';
import { PLAN_FORMAT_VERSION, type EnvironmentPlan } from '@harbor-platform/config';
import { CommandError } from './command.js';

/**
 * Reads a `plan.json` (`harbor-platform plan --json`, or the one `npm run synth` writes).
 * @param option the option that named it, for the message (`--plan`)
 * @throws CommandError, one line: a file that is missing, not JSON, or of another `formatVersion`
 *   than {@link PLAN_FORMAT_VERSION}, each with what to do
 */
export function readPlanFile(file: string, option: string): EnvironmentPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(`${option} ${file}: cannot read it (${code ?? (err as Error).message}): give the plan.json that "harbor-platform plan --json" or "npm run synth" wrote`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    throw new CommandError(`${option} ${file}: not JSON (${(err as Error).message.split('\n')[0]}): give the plan.json that "harbor-platform plan --json" or "npm run synth" wrote`);
  }
  const version = (plan as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new CommandError(
      `${option} ${file}: formatVersion: ${JSON.stringify(version) ?? 'missing'} is not ${PLAN_FORMAT_VERSION}, the plan format this CLI reads: write the plan again with this CLI ("harbor-platform plan --json")`,
    );
  }
  return plan as EnvironmentPlan;
}
