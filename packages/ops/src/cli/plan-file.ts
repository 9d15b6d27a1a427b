import { readFileSync } from 'node:fs';
import { PLAN_FORMAT_VERSION, type EnvironmentPlan } from '@harbor-platform/config';
import { CommandError } from './command.js';

/** What a plan file's reader takes: this CLI's format only, or also an earlier one or none (a deployed subset). */
export type PlanFormatAccepted = 'current' | 'current-or-earlier';

/**
 * Reads a JSON file an option names.
 * @param fix what to do, ending the line of a file that is missing or not JSON
 * @throws CommandError, one line: `<option> <file>: cannot read it (ENOENT): <fix>`
 */
export function readJsonFile(file: string, option: string, fix: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(`${option} ${file}: cannot read it (${code ?? (err as Error).message}): ${fix}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CommandError(`${option} ${file}: not JSON (${(err as Error).message.split('\n')[0]}): ${fix}`);
  }
}

/**
 * Checks a plan file's `formatVersion` against {@link PLAN_FORMAT_VERSION}: `current` takes only
 * this CLI's format; `current-or-earlier` also an earlier one, or none at all (the deployed
 * stack's `DeployedMinioStatefulSets` output is a plan subset without it), and refuses a newer
 * one, whose fields this CLI cannot know.
 * @throws CommandError, one line naming the field and the fix
 */
export function checkPlanFormatVersion(plan: unknown, file: string, option: string, accepted: PlanFormatAccepted): void {
  const version = (plan as { formatVersion?: unknown } | null)?.formatVersion;
  if (version === PLAN_FORMAT_VERSION) return;
  const shown = JSON.stringify(version) ?? 'missing';
  if (accepted === 'current-or-earlier') {
    if (version === undefined || (Number.isInteger(version) && (version as number) >= 1 && (version as number) < PLAN_FORMAT_VERSION)) return;
    const problem = typeof version === 'number' && version > PLAN_FORMAT_VERSION ? `is newer than ${PLAN_FORMAT_VERSION}, the newest plan format this CLI reads` : 'is not a plan format version';
    throw new CommandError(`${option} ${file}: formatVersion: ${shown} ${problem}: compare with the harbor-platform that wrote it, or update this one`);
  }
  throw new CommandError(`${option} ${file}: formatVersion: ${shown} is not ${PLAN_FORMAT_VERSION}, the plan format this CLI reads: write the plan again with this CLI ("harbor-platform plan --json")`);
}

/**
 * Reads a `plan.json` (`harbor-platform plan --json`, or the one `npm run synth` writes).
 * @param option the option that named it, for the message (`--plan`)
 * @throws CommandError, one line: a file that is missing, not JSON, or of another `formatVersion`
 *   than {@link PLAN_FORMAT_VERSION}, each with what to do
 */
export function readPlanFile(file: string, option: string): EnvironmentPlan {
  const plan = readJsonFile(file, option, 'give the plan.json that "harbor-platform plan --json" or "npm run synth" wrote');
  checkPlanFormatVersion(plan, file, option, 'current');
  return plan as EnvironmentPlan;
}
