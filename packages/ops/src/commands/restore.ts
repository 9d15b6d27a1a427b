import { DNS_1123_LABEL } from '@harbor-platform/config';
import { UsageError, type Command } from '../cli/command.js';

const NAMESPACE = DNS_1123_LABEL;

/** Parses `--namespaces harbor,minio`, refusing anything that is not a namespace name. */
export function parseNamespaces(value: string): string[] {
  const list = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!list.length) throw new UsageError('--namespaces needs at least one namespace, such as "harbor,minio"');
  const bad = list.filter((ns) => !NAMESPACE.test(ns));
  if (bad.length) throw new UsageError(`--namespaces: "${bad.join('", "')}" is not a Kubernetes namespace name`);
  return list;
}

export const restoreCommand: Command = {
  name: 'restore',
  help: `restore --env <name> --backup <name> --namespaces <list> --confirm <name> [--report] [--report-file <path>]

Refuses unless --confirm repeats the environment name. Then: checks the backup is
Completed and holds the namespaces, finds the registry-data copy taken at or before
it, takes a safety backup of both layers (a Velero Backup and a registry-backup run),
deletes the namespaces, restores them with Velero, fills the new MinIO from the copy
(when MinIO's namespace is restored) and verifies the registry against that copy's
inventory. Nothing is deleted before the safety backup has completed.

options:
  --env <name>          the environment to restore (environments/<name>.yaml)
  --backup <name>       the Velero backup to restore
  --namespaces <list>   comma-separated namespaces, such as harbor,minio
  --confirm <name>      the environment name again
  --report              file the result on the environment's restore issue (needs GITHUB_TOKEN)
  --report-file <path>  also write the report as JSON, for a later step that publishes it
                  (report --from <path>): the command itself then needs no GitHub token

exit status: 0 restored and verified, 1 failed, 2 usage or refused`,
  options: { 'env': { type: 'string' }, 'backup': { type: 'string' }, 'namespaces': { type: 'string' }, 'confirm': { type: 'string' }, 'report': { type: 'boolean' }, 'report-file': { type: 'string' } },
  // The implementation (Kubernetes, AWS and GitHub clients) loads only when this command runs.
  run: async (args, io) => (await import('./restore-run.js')).runRestoreCommand(args, io),
};
