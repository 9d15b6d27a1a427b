import { SCHEDULE_LABEL, type VeleroBackup } from '../velero/types.js';

export interface BackupChoiceCriteria {
  /** Schedules of the environment (plan.backups.velero.schedules[].name). */
  readonly schedules: string[];
  /** Namespaces the backup must contain (Harbor's and MinIO's). */
  readonly namespaces: string[];
}

export type BackupChoice = { readonly backup: VeleroBackup } | { readonly problem: string };

const time = (b: VeleroBackup) => Date.parse(b.status?.completionTimestamp ?? b.status?.startTimestamp ?? b.metadata.creationTimestamp ?? '') || 0;

/**
 * The newest Completed backup made by one of the environment's schedules that holds
 * every namespace the drill restores. PartiallyFailed, Failed and running backups are
 * never chosen: a drill proves what a real restore would use.
 */
export function chooseBackup(backups: VeleroBackup[], c: BackupChoiceCriteria): BackupChoice {
  const scheduled = backups.filter((b) => c.schedules.includes(b.metadata.labels?.[SCHEDULE_LABEL] ?? ''));
  if (scheduled.length === 0) return { problem: `no backup from the schedules ${c.schedules.join(', ')} exists yet` };
  const completed = scheduled.filter((b) => b.status?.phase === 'Completed');
  if (completed.length === 0) {
    const phases = [...new Set(scheduled.map((b) => b.status?.phase ?? 'New'))].join(', ');
    return { problem: `none of the ${scheduled.length} scheduled backup(s) is Completed (phases: ${phases})` };
  }
  const covering = completed.filter((b) => c.namespaces.every((ns) => b.spec.includedNamespaces?.includes(ns) || b.spec.includedNamespaces?.includes('*')));
  if (covering.length === 0) {
    return { problem: `no Completed scheduled backup includes all of ${c.namespaces.join(', ')}: add them to a schedule's includedNamespaces in the environment file` };
  }
  return { backup: covering.reduce((a, b) => (time(b) > time(a) ? b : a)) };
}

/** RPO as the drill measures it: how old the restored data was when the drill started. */
export function backupAgeMs(backup: VeleroBackup, now: number): number {
  return Math.max(0, now - time(backup));
}
