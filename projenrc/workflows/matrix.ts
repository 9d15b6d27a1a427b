/**
 * The `env` matrix of drift and the drill: one job per environment on schedule, only the chosen
 * one when dispatched with a name.
 */
export function matrixOf(environments: readonly string[]) {
  const all = JSON.stringify(environments);
  const env = `\${{ fromJSON(github.event_name == 'workflow_dispatch' && inputs.environment != 'all' && format('["{0}"]', inputs.environment) || '${all}') }}`;
  // projen types a matrix axis as a list; GitHub also takes an expression that yields one.
  return { failFast: false, matrix: { domain: { env: env as unknown as string[] } } };
}

/** Scheduled runs cover every environment; a dispatch can pick one. */
export function dispatchInput(environments: readonly string[]) {
  return {
    inputs: {
      environment: { description: 'Environment to check (all when empty)', type: 'choice' as const, required: false, default: 'all', options: ['all', ...environments] },
    },
  };
}

/**
 * The drill's matrix: on a schedule, the environments whose cron (`crons`, by environment) is
 * the cron that fired (`github.event.schedule` is that cron exactly as written under
 * `on.schedule`); dispatched, the chosen one or all.
 */
export function scheduledMatrixOf(environments: readonly string[], crons: Readonly<Record<string, string>>) {
  const bySchedule: Record<string, string[]> = {};
  for (const env of environments) (bySchedule[crons[env]!] ??= []).push(env);
  const dispatched = matrixOf(environments).matrix.domain.env as unknown as string;
  const scheduled = `github.event_name == 'schedule' && fromJSON('${JSON.stringify(bySchedule)}')[github.event.schedule]`;
  const env = `\${{ ${scheduled} || ${dispatched.slice('${{ '.length, -' }}'.length)} }}`;
  return { failFast: false, matrix: { domain: { env: env as unknown as string[] } } };
}
