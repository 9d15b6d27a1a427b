import type { VeleroBackupSpec, VeleroRestoreSpec } from '@harbor-platform/manifests';
import type { CustomResourceType } from '../kube/api.js';

export const BACKUPS: CustomResourceType = { group: 'velero.io', version: 'v1', plural: 'backups' };
export const RESTORES: CustomResourceType = { group: 'velero.io', version: 'v1', plural: 'restores' };

/** The label Velero puts on backups a Schedule created. */
export const SCHEDULE_LABEL = 'velero.io/schedule-name';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

/**
 * velero.io/v1 Backup: the spec as the CRD declares it (the cdk8s import of Velero 1.18.1's CRDs in
 * packages/manifests), the status fields this tool reads (cdk8s imports specs only).
 * @see https://velero.io/docs/v1.18/api-types/backup/
 */
export interface VeleroBackup {
  apiVersion: 'velero.io/v1';
  kind: 'Backup';
  metadata: ObjectMeta;
  spec: VeleroBackupSpec;
  status?: {
    phase?: string;
    startTimestamp?: string;
    completionTimestamp?: string;
    expiration?: string;
    errors?: number;
    warnings?: number;
    failureReason?: string;
  };
}

/**
 * velero.io/v1 Restore: the CRD's spec (with the backup it restores always named), the status
 * fields this tool reads.
 * @see https://velero.io/docs/v1.18/api-types/restore/
 */
export interface VeleroRestore {
  apiVersion: 'velero.io/v1';
  kind: 'Restore';
  metadata: ObjectMeta;
  spec: VeleroRestoreSpec & { readonly backupName: string };
  status?: {
    phase?: string;
    startTimestamp?: string;
    completionTimestamp?: string;
    errors?: number;
    warnings?: number;
    failureReason?: string;
    validationErrors?: string[];
    progress?: { totalItems?: number; itemsRestored?: number };
  };
}

/** Phases after which Velero does no more work on the object. */
export const TERMINAL_PHASES = ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'] as const;
