import type { EnvironmentConfig } from './schema/environment.js';

/**
 * Harbor's garbage-collection schedule as its API takes it (`PUT
 * /api/v2.0/system/gc/schedule`, body `{ schedule: { type: 'Custom', cron }, parameters:
 * { delete_untagged } }`) and returns it (`GET`, a `GCHistory`).
 * @see https://github.com/goharbor/harbor/blob/v2.15.1/api/v2.0/swagger.yaml (getGCSchedule, updateGCSchedule)
 */
export interface HarborGcSchedule {
  /** Six fields, seconds first and always 0 (Harbor refuses any other second), UTC. */
  readonly cron: string;
  /** Also delete artifacts that have no tag (Harbor's `delete_untagged`). */
  readonly deleteUntagged: boolean;
}

/**
 * The config's five-field cron in Harbor's six-field form. Harbor parses with
 * robfig/cron (`Second | Minute | Hour | Dom | Month | Dow`) and requires the second to
 * be 0 (src/common/utils/utils.go, ValidateCronString).
 */
export function harborCron(fiveFields: string): string {
  return ['0', ...fiveFields.trim().split(/\s+/)].join(' ');
}

/**
 * Why a robfig/cron v3 standard parser would refuse a five-field cron that the config's
 * parser accepts, or undefined: robfig/cron has no `L`, `W` or `#`, and its day of the week
 * runs 0-6 (Sunday is 0, never 7). Harbor's GC schedule, Velero's Schedules
 * (`cron.ParseStandard`) and Kubernetes CronJobs (`cron.ParseStandard` in the API server's
 * validation) all parse with it; `parser` names the one that would refuse, for the message.
 * @see https://github.com/robfig/cron/blob/v3.0.1/parser.go (bounds of the day of the week)
 */
export function robfigCronError(fiveFields: string, parser: string): string | undefined {
  const fields = fiveFields.trim().split(/\s+/);
  // Month and day names (JAN, WED...) are fine; what is left must carry no L, W or #.
  if (/[LW#]/i.test(fields.slice(2).join(' ').replace(/[A-Za-z]{3}/g, ''))) {
    return `"${fiveFields}" uses L, W or #, which ${parser} (robfig/cron) does not know`;
  }
  const dow = fields[4] ?? '';
  const seven = dow.split(',').some((part) => part.replace(/\/.*$/, '').split('-').includes('7'));
  if (seven) return `"${fiveFields}" writes Sunday as 7 in the day of the week, which ${parser} (robfig/cron, 0-6) refuses`;
  return undefined;
}

/** robfigCronError for Harbor's GC schedule. */
export function harborCronError(fiveFields: string): string | undefined {
  return robfigCronError(fiveFields, "Harbor's cron parser");
}

/** The schedule Harbor must have; undefined when the config sets none (Harbor's schedule is then removed: type None). */
export function harborGcSchedule(c: EnvironmentConfig): HarborGcSchedule | undefined {
  return c.harbor.gc && { cron: harborCron(c.harbor.gc.cron), deleteUntagged: c.harbor.gc.deleteUntagged };
}
