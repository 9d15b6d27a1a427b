/**
 * The errors of the operations library (everything below the CLI, which has its own `UsageError`
 * and `CommandError` in cli/command.ts). Each is an expected failure with a one-line message
 * naming what failed and the fix; the CLI prints it as is (exit 1), while any other error (a
 * `TypeError` ...) stays "unexpected" and shows its stack under HARBOR_PLATFORM_DEBUG. A bare
 * `Error` in `src/` is a lint error (`no-restricted-syntax` in projenrc/workspaces.ts).
 */

/** Base of every expected failure of the operations library. */
export class OpsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A cloud assembly (`npm run synth`'s output) that is missing or lacks a stack the command needs. */
export class AssemblyError extends OpsError {}

/** A registry (the distribution API) that answered outside the protocol, or a malformed registry input. */
export class RegistryError extends OpsError {}

/** An S3 location or credentials given malformed (the SDK's own failures are `S3StoreError`). */
export class S3Error extends OpsError {}

/** A registry backup, restore or prune that cannot proceed safely. */
export class BackupError extends OpsError {}

/** A registry inventory file that cannot be read or is not one this tool writes. */
export class InventoryError extends OpsError {}

/** A Kubernetes object missing or not in the shape an operation needs. */
export class KubeError extends OpsError {}

/** No usable kubeconfig: one line naming the file (or its absence) and the command that writes one. */
export class KubeconfigError extends KubeError {}

/** A Velero resource the read-back cannot interpret. */
export class VeleroError extends OpsError {}

/** Harbor (its API or its settings) that answered or reads back otherwise than expected. */
export class HarborError extends OpsError {}

/** A restore or AZ-loss drill step that cannot proceed or whose check failed. */
export class DrillError extends OpsError {}

/** Drift detection that cannot read what it compares (an SSM parameter, a template). */
export class DriftError extends OpsError {}
