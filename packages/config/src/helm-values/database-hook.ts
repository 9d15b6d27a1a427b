/**
 * Velero pre-backup hook for Harbor's internal PostgreSQL, as pod annotations.
 *
 * Checkpoint, not dump. The database volume holds all of PGDATA, WAL included, and
 * an EBS snapshot of one volume is point-in-time, so the snapshot is crash-consistent:
 * PostgreSQL recovers from it exactly as from a power cut (fsync is on in the
 * harbor-db image). What a hook adds is recovery time: CHECKPOINT writes every dirty
 * buffer and starts a fresh WAL segment, so a restored database replays seconds of
 * WAL instead of up to `checkpoint_timeout` of it, which is what the drill's RTO sees.
 * A pg_dump would give a second, logical copy, but it lands on the same volume (space
 * for a full copy), grows with the registry's metadata, holds the backup for its whole
 * run, and restoring from it is a separate procedure the drill would then have to
 * prove too. The hook fails the backup when the database does not answer
 * (`on-error: Fail`), so a backup never claims a database it could not checkpoint.
 */

/** The container of the chart's database StatefulSet. */
export const HARBOR_DATABASE_CONTAINER = 'database';

/** `psql` over the local socket as the superuser; the password comes from the pod's own env. */
export const CHECKPOINT_COMMAND = ['/bin/sh', '-c', 'PGPASSWORD="$POSTGRES_PASSWORD" psql -v ON_ERROR_STOP=1 -U postgres -d postgres -c CHECKPOINT'];

export function databaseBackupHookAnnotations(): Record<string, string> {
  return {
    'pre.hook.backup.velero.io/container': HARBOR_DATABASE_CONTAINER,
    'pre.hook.backup.velero.io/command': JSON.stringify(CHECKPOINT_COMMAND),
    'pre.hook.backup.velero.io/on-error': 'Fail',
    'pre.hook.backup.velero.io/timeout': '120s',
  };
}
