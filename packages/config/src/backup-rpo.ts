import { occurrences } from './rules/cron.js';
import type { EnvironmentConfig } from './schema/environment.js';

/**
 * How much registry data a restore can lose, from the schedules alone. A restore takes
 * Harbor's database from a Velero backup and the blobs from a registry-data copy, so it
 * loses what was pushed after the older of the two: the pair's worst-case RPO is the
 * longer of the two worst-case gaps (a copy's upload time added to its own gap: blobs
 * pushed while it runs may miss it).
 */
export interface BackupRpo {
  /** Longest gap between two Velero backups of Harbor's namespace (every schedule that includes it), minutes. */
  readonly veleroMinutes: number;
  /** Longest gap between two registry-data copies plus registryBackup.maxDurationMinutes, minutes. */
  readonly registryDataMinutes: number;
  /** The pair's worst case: the larger of the two. */
  readonly worstCaseMinutes: number;
  /** How far back the kept registry-data copies reach: retention × the longest gap, hours. */
  readonly registryDataCoverageHours: number;
  /** Longest Velero TTL, hours: the oldest backup a restore may pick. */
  readonly longestVeleroTtlHours: number;
}

/** Two weeks from a fixed Monday: every five-field cron repeats within a week, the second closes the wrap-around gap. */
const FROM = new Date('2026-01-05T00:00:00Z');
const HOURS = 14 * 24;

/** Longest gap between consecutive starts of the union of `crons`, minutes (undefined for none). */
export function longestGapMinutes(crons: readonly string[]): number | undefined {
  const times = [...new Set(crons.flatMap((c) => occurrences(c, FROM, HOURS).map((d) => d.getTime())))].sort((a, b) => a - b);
  if (times.length < 2) return undefined;
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return gap / 60_000;
}

/** A Velero/Go duration such as `720h` or `72h30m` in hours. */
export function ttlHours(ttl: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl);
  if (!m) return Number.NaN;
  return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
}

/** The RPO of an environment's backups; crons must be valid (validate checks them first). */
export function backupRpo(c: EnvironmentConfig): BackupRpo {
  const harbor = c.velero.schedules.filter((s) => s.includedNamespaces.includes(c.harbor.namespace));
  const velero = longestGapMinutes((harbor.length ? harbor : c.velero.schedules).map((s) => s.cron)) ?? 7 * 24 * 60;
  const copyGap = longestGapMinutes([c.registryBackup.cron]) ?? 7 * 24 * 60;
  const registryData = copyGap + c.registryBackup.maxDurationMinutes;
  return {
    veleroMinutes: velero,
    registryDataMinutes: registryData,
    worstCaseMinutes: Math.max(velero, registryData),
    registryDataCoverageHours: (c.registryBackup.retention * copyGap) / 60,
    longestVeleroTtlHours: Math.max(...c.velero.schedules.map((s) => ttlHours(s.ttl))),
  };
}
