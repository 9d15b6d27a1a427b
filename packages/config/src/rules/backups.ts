import type { Problem, Warning } from '../problems.js';
import { cronError, occurrences } from './cron.js';
import { robfigCronError } from '../harbor-gc.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/** A week from a fixed Monday: every cron of the config repeats within it. */
const WEEK_START = new Date('2026-01-05T00:00:00Z');
const WEEK_HOURS = 7 * 24;

export function checkBackups(c: EnvironmentConfig, problems: Problem[], warnings: Warning[]): void {
  const crons: [string, string][] = [
    ...c.velero.schedules.map((s, i) => [`velero.schedules[${i}].cron`, s.cron] as [string, string]),
    ['velero.drill.cron', c.velero.drill.cron],
    ['registryBackup.cron', c.registryBackup.cron],
    ...(c.harbor.gc ? [['harbor.gc.cron', c.harbor.gc.cron] as [string, string]] : []),
  ];
  const valid = new Set<string>();
  for (const [path, expr] of crons) {
    const err = cronError(expr);
    if (err) problems.push({ path, message: err, fix: 'write five fields: minute hour day-of-month month day-of-week, such as "0 3 * * *"' });
    else valid.add(path);
  }
  // Harbor, Velero and the Kubernetes API server parse these with robfig/cron, which is stricter than ours.
  const parsers: [string, string][] = [
    ...c.velero.schedules.map((_, i) => [`velero.schedules[${i}].cron`, "Velero's Schedule"] as [string, string]),
    ['registryBackup.cron', "the Kubernetes API server's CronJob validation"],
    ['harbor.gc.cron', "Harbor's cron parser"],
  ];
  for (const [path, parser] of parsers) {
    const expr = crons.find(([p]) => p === path)?.[1];
    const err = expr !== undefined && valid.has(path) && robfigCronError(expr, parser);
    if (!err) continue;
    valid.delete(path);
    problems.push({ path, message: err, fix: 'write Sunday as 0 (such as "0 6 * * 0") and use only numbers, names, *, ranges, lists and steps' });
  }

  const zone = c.velero.drill.zoneLoss.zone;
  if (zone !== 'rotate' && !c.aws.availabilityZones.includes(zone)) {
    problems.push({ path: 'velero.drill.zoneLoss.zone', message: `"${zone}" is not one of aws.availabilityZones (${c.aws.availabilityZones.join(', ')})`, fix: 'name one of them, or write "rotate"' });
  }

  const names = c.velero.schedules.map((s) => s.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) problems.push({ path: `velero.schedules[${i}].name`, message: `"${n}" is used by another schedule`, fix: 'give each schedule its own name' });
  });
  c.velero.schedules.forEach((s, i) => {
    if (!s.includedNamespaces.includes(c.harbor.namespace)) {
      warnings.push({ path: `velero.schedules[${i}].includedNamespaces`, message: `does not include Harbor's namespace "${c.harbor.namespace}"` });
    }
  });
  // The drill and a restore bring back Harbor and MinIO objects from one backup; MinIO's
  // drives are excluded from snapshots and refilled from the registry-data copy.
  const whole = [c.harbor.namespace, c.minio.namespace];
  if (!c.velero.schedules.some((s) => whole.every((ns) => s.includedNamespaces.includes(ns)))) {
    problems.push({
      path: 'velero.schedules',
      message: `no schedule backs up both "${whole[0]}" and "${whole[1]}", so the restore drill has no backup of MinIO's objects to restore beside Harbor`,
      fix: `add ${whole[1]} to the includedNamespaces of a schedule that includes ${whole[0]}`,
    });
  }

  if (c.registryBackup.bucket === c.velero.backupBucket && c.registryBackup.prefix.startsWith('velero/')) {
    problems.push({ path: 'registryBackup.prefix', message: `"${c.registryBackup.prefix}" lies under Velero's prefix in the same bucket`, fix: 'use a prefix of its own, such as "registry-data/"' });
  }

  if (c.harbor.gc && valid.has('harbor.gc.cron') && valid.has('registryBackup.cron')) {
    const window = c.registryBackup.maxDurationMinutes * 60_000;
    const backups = occurrences(c.registryBackup.cron, new Date(WEEK_START.getTime() - window), WEEK_HOURS + window / 3600_000);
    const clash = occurrences(c.harbor.gc.cron, WEEK_START, WEEK_HOURS).find((gc) =>
      backups.some((b) => gc.getTime() >= b.getTime() && gc.getTime() < b.getTime() + window),
    );
    if (clash) {
      problems.push({
        path: 'harbor.gc.cron',
        message: `garbage collection at ${clash.toISOString().slice(11, 16)} UTC (${clash.toUTCString().slice(0, 3)}) falls within the ${c.registryBackup.maxDurationMinutes}-minute registry-data backup window, so it can delete blobs the copy is reading`,
        fix: `move it outside ${c.registryBackup.cron} + ${c.registryBackup.maxDurationMinutes} minutes, or lower registryBackup.maxDurationMinutes`,
      });
    }
  }
}
