import type { Command } from '../cli/declare.js';

/** One `harbor-platform` command as the overview lists it; {@link load} brings in its module. */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /**
   * Imports the command's module, and with it its dependencies (AWS SDK, Kubernetes and GitHub
   * clients, ldapts, zod...): a process loads only what the command it runs needs, so start-up
   * costs little (each command is its own chunk in the esbuild bundle).
   */
  readonly load: () => Promise<Command>;
}

/** Every `harbor-platform` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', summary: 'Check an environment file; print every problem as "path: what is wrong: how to fix it"', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'plan', summary: 'Print the derived plan of one environment (AZs, node groups, MinIO erasure layout, backups)', load: async () => (await import('./plan.js')).planCommand },
  { name: 'preflight', summary: 'Check what an account and repository need before the first deploy; say what is missing and the command that fixes it', load: async () => (await import('./preflight.js')).preflightCommand },
  { name: 'smoke', summary: 'Push a synthetic image, pull it back checking every digest, delete it', load: async () => (await import('./smoke.js')).smokeCommand },
  { name: 'inventory', summary: 'Record every repository, tag, manifest and blob of a registry as one JSON document', load: async () => (await import('./inventory.js')).inventoryCommand },
  { name: 'verify', summary: 'Check a registry against an inventory: tags, manifests, blobs, re-hashed content', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'registry-backup', summary: "Copy the registry's bucket incrementally to a backup, with an inventory per run", load: async () => (await import('./registry-backup.js')).registryBackupCommand },
  { name: 'registry-restore', summary: 'Restore the registry state one backup inventory recorded into an empty bucket', load: async () => (await import('./registry-restore.js')).registryRestoreCommand },
  { name: 'ldap-check', summary: "Check Harbor's LDAP settings against the directory: connect, bind, find a user, resolve groups", load: async () => (await import('./ldap-check.js')).ldapCheckCommand },
  { name: 'harbor-gc', summary: "Apply the config's garbage-collection schedule to Harbor (or --check it)", load: async () => (await import('./harbor-gc.js')).harborGcCommand },
  { name: 'harbor-settings-reload', summary: "Restart Harbor's core when its settings Secret changed (a rotated LDAP bind password)", load: async () => (await import('./harbor-settings-reload.js')).harborSettingsReloadCommand },
  { name: 'drift', summary: 'Compare an environment with its code: CloudFormation drift, template diff, kubectl diff', load: async () => (await import('./drift.js')).driftCommand },
  { name: 'drill', summary: 'Restore the latest backups into drill namespaces, verify, record RTO/RPO, clean up', load: async () => (await import('./drill.js')).drillCommand },
  { name: 'restore', summary: 'Restore an environment from a Velero backup and its registry-data copy (safety backup first)', load: async () => (await import('./restore.js')).restoreCommand },
  { name: 'report', summary: "File a one-line result on an environment's drift, drill or restore issue", load: async () => (await import('./report.js')).reportCommand },
  { name: 'github-setup', summary: "Apply (or --check) the repository's OIDC subject template and the environments' branch policies", load: async () => (await import('./github-setup.js')).githubSetupCommand },
  { name: 'github-outputs', summary: "Print a workflow step's outputs from an environment's plan.json: the role's target, or whether an image is built", load: async () => (await import('./github-outputs.js')).githubOutputsCommand },
];

