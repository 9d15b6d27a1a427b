import type { HarborGcSchedule } from '@harbor-platform/config';
import { HarborError } from '../errors.js';
import { HARBOR_ENV_PREFIX, HarborApi, HARBOR_PASSWORD_ENV, HARBOR_USERNAME_ENV, type HarborGcState } from './api.js';
import { basicCredentialsFromEnv } from '../credentials/basic-credentials.js';
import type { HarborGcCheck } from '../drift/report.js';

/** Harbor's cron as written, fields separated by one space. */
const fields = (cron: string) => cron.trim().split(/\s+/).join(' ');

/**
 * How the schedule Harbor holds differs from the one the config asks for, one line
 * each (none when they agree). Pure: `harbor-gc` and `drift` both judge with it.
 */
export function gcScheduleDifferences(wanted: HarborGcSchedule | undefined, actual: HarborGcState | undefined): string[] {
  if (!wanted && !actual) return [];
  if (!wanted) return [`Harbor runs garbage collection on "${actual!.cron}" (${actual!.type}), but the config sets no schedule (harbor.gc)`];
  if (!actual) return [`Harbor has no garbage-collection schedule; the config sets "${wanted.cron}"`];
  const out: string[] = [];
  if (fields(actual.cron) !== fields(wanted.cron)) out.push(`garbage-collection cron is "${actual.cron}" in Harbor, "${wanted.cron}" in the config`);
  if (actual.deleteUntagged !== wanted.deleteUntagged) {
    out.push(`delete_untagged is ${actual.deleteUntagged ?? 'unset'} in Harbor, ${wanted.deleteUntagged} in the config (harbor.gc.deleteUntagged)`);
  }
  return out;
}

export interface GcApplyResult {
  /** What differed before; empty when Harbor already held the schedule. */
  readonly differences: string[];
  /** True when the schedule was written. */
  readonly changed: boolean;
}

/**
 * Makes Harbor hold the config's schedule: reads it, writes it only when it differs, and
 * reads it back (Harbor accepts a PUT and may still hold something else, e.g. a schedule
 * another client replaced in between). Throws when the read-back still differs.
 */
export async function applyGcSchedule(api: HarborApi, wanted: HarborGcSchedule | undefined): Promise<GcApplyResult> {
  const differences = gcScheduleDifferences(wanted, await api.gcSchedule());
  if (differences.length === 0) return { differences, changed: false };
  await api.setGcSchedule(wanted);
  const after = gcScheduleDifferences(wanted, await api.gcSchedule());
  if (after.length) throw new HarborError(`Harbor accepted the GC schedule but reads back otherwise: ${after.join('; ')}`);
  return { differences, changed: true };
}

/**
 * The Harbor part of `drift`: the GC schedule Harbor holds against the config's, read
 * with the credentials in the environment (the nightly workflow passes a system robot
 * account that may only read garbage-collection; the operations role cannot read the
 * admin password). Without credentials, the report says it was not checked.
 */
export async function checkGcDrift(
  wanted: HarborGcSchedule | undefined,
  url: string,
  env: NodeJS.ProcessEnv,
  api?: HarborApi,
): Promise<HarborGcCheck> {
  try {
    const credentials = basicCredentialsFromEnv(HARBOR_ENV_PREFIX, env);
    if (!api && !credentials) return { outcome: 'skipped', reason: `no ${HARBOR_USERNAME_ENV} and ${HARBOR_PASSWORD_ENV} (a Harbor robot account with read on garbage-collection)` };
    const client = api ?? new HarborApi({ url, credentials: credentials! });
    return { outcome: 'compared', differences: gcScheduleDifferences(wanted, await client.gcSchedule()) };
  } catch (err) {
    return { outcome: 'failed', reason: (err as Error).message.split('\n')[0]! };
  }
}
