import { RESTORE_OPTIONS, RESTORE_REPORT } from './restore-options.js';
import { defineCommand } from '../cli/declare.js';
import { KUBECONFIG_VARIABLE, ROOT_VARIABLE } from '../cli/environment-variables.js';

// Where restore.test.ts and other callers have always found it.
export { parseNamespaces } from './restore-options.js';

export const restoreCommand = defineCommand({
  name: 'restore',
  description: `Refuses unless --confirm repeats the environment name. Then: checks the backup is
Completed and holds the namespaces, finds the registry-data copy taken at or before
it, takes a safety backup of both layers (a Velero Backup and a registry-backup run),
deletes the namespaces, restores them with Velero, fills the new MinIO from the copy
(when MinIO's namespace is restored) and verifies the registry against that copy's
inventory. Nothing is deleted before the safety backup has completed.`,
  options: RESTORE_OPTIONS,
  environment: [ROOT_VARIABLE, KUBECONFIG_VARIABLE, ...(RESTORE_REPORT.environment ?? [])],
  exitStatus: '0 restored and verified, 1 failed, 2 usage or refused',
  // The implementation (Kubernetes, AWS and GitHub clients) loads only when this command runs.
  run: async (args, io) => (await import('./restore-run.js')).runRestoreCommand(args, io),
});
