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

/** velero.io/v1 Backup: the fields this tool writes or reads (the CRD has more). */
export interface VeleroBackup {
  apiVersion: 'velero.io/v1';
  kind: 'Backup';
  metadata: ObjectMeta;
  spec: {
    includedNamespaces?: string[];
    snapshotVolumes?: boolean;
    ttl?: string;
    storageLocation?: string;
    defaultVolumesToFsBackup?: boolean;
  };
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

/** velero.io/v1 Restore: the fields this tool writes or reads. */
export interface VeleroRestore {
  apiVersion: 'velero.io/v1';
  kind: 'Restore';
  metadata: ObjectMeta;
  spec: {
    backupName: string;
    includedNamespaces?: string[];
    excludedResources?: string[];
    namespaceMapping?: Record<string, string>;
    restorePVs?: boolean;
    existingResourcePolicy?: 'none' | 'update';
    resourceModifier?: { apiGroup?: string; kind: string; name: string };
    itemOperationTimeout?: string;
  };
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
