import { ValidationError } from '../errors.js';

/**
 * Hours of a Velero (Go) duration such as "720h", "72h30m" or "168h0m0s";
 * undefined when it is not one.
 */
export function durationHours(ttl: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl);
  if (!m || ttl === '') return undefined;
  const [h, min, s] = [m[1], m[2], m[3]].map((v) => Number(v ?? 0)) as [number, number, number];
  return h + min / 60 + s / 3600;
}

/**
 * Days after which S3 may expire a Velero backup object: the longest schedule
 * TTL, rounded up to whole days, plus the margin. Velero deletes a backup at
 * its TTL; the lifecycle rule only catches what Velero failed to delete.
 */
export function backupExpiryDays(ttls: readonly string[], marginDays: number): number {
  const hours = ttls.map((t) => {
    const h = durationHours(t);
    if (h === undefined || h <= 0) throw new ValidationError(`"${t}" is not a positive Velero duration: write it as "720h" or "72h30m"`);
    return h;
  });
  if (hours.length === 0) throw new ValidationError('no schedule TTLs: give at least one');
  return Math.ceil(Math.max(...hours) / 24) + marginDays;
}
