import { backupRpo, ttlHours } from '../backup-rpo.js';
import type { Problem, Warning } from '../problems.js';
import { cronError } from './cron.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * A restore pairs a Velero backup with a registry-data copy taken near it. The copies
 * kept (registryBackup.retention of them, one per cron interval) must reach as far back
 * as the oldest Velero backup (its schedule's TTL), or restoring an older backup finds
 * no copy, or one missing the images that backup's database references.
 */
export function checkBackupRetention(c: EnvironmentConfig, problems: Problem[], _warnings: Warning[]): void {
  if ([c.registryBackup.cron, ...c.velero.schedules.map((s) => s.cron)].some((cron) => cronError(cron))) return;
  const rpo = backupRpo(c);
  if (rpo.registryDataCoverageHours >= rpo.longestVeleroTtlHours) return;
  const index = c.velero.schedules.findIndex((s) => ttlHours(s.ttl) === rpo.longestVeleroTtlHours);
  const copyHours = rpo.registryDataCoverageHours / c.registryBackup.retention;
  const needed = Math.ceil(rpo.longestVeleroTtlHours / copyHours);
  problems.push({
    path: 'registryBackup.retention',
    message: `${c.registryBackup.retention} copies every ${formatHours(copyHours)} reach back ${formatHours(rpo.registryDataCoverageHours)}, less than velero.schedules[${index}].ttl (${c.velero.schedules[index]!.ttl}): a restore of an older Velero backup finds no registry-data copy`,
    fix: `raise registryBackup.retention to at least ${needed}, or lower velero.schedules[${index}].ttl to ${formatHours(rpo.registryDataCoverageHours)}`,
  });
}

const formatHours = (h: number) => (h % 24 === 0 ? `${h / 24}d` : `${Math.round(h * 10) / 10}h`);
