import type { VeleroBackup, VeleroRestore } from './types.js';

/** Labels on every object this tool creates, so they can be found and cleaned up. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'harbor-platform' } as const;

export interface RestoreProps {
  readonly name: string;
  /** Velero's namespace. */
  readonly veleroNamespace: string;
  readonly backupName: string;
  readonly includedNamespaces: string[];
  /** Source namespace -> target namespace. @default restore in place */
  readonly namespaceMapping?: Record<string, string>;
  /** ConfigMap (in Velero's namespace) with resource modifier rules. @default none */
  readonly resourceModifierConfigMap?: string;
  /** Resources never to restore, as `resource.group`. @default none */
  readonly excludedResources?: string[];
  /** Extra labels (the purpose, the environment). */
  readonly labels?: Record<string, string>;
}

/** A velero.io/v1 Restore that restores volumes from their snapshots and never overwrites live objects. */
export function restoreObject(p: RestoreProps): VeleroRestore {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { name: p.name, namespace: p.veleroNamespace, labels: { ...MANAGED_BY, ...p.labels } },
    spec: {
      backupName: p.backupName,
      includedNamespaces: [...p.includedNamespaces],
      ...(p.namespaceMapping && { namespaceMapping: { ...p.namespaceMapping } }),
      ...(p.excludedResources?.length && { excludedResources: [...p.excludedResources] }),
      restorePVs: true,
      existingResourcePolicy: 'none',
      ...(p.resourceModifierConfigMap && { resourceModifier: { kind: 'ConfigMap', name: p.resourceModifierConfigMap } }),
    },
  };
}

export interface BackupProps {
  readonly name: string;
  readonly veleroNamespace: string;
  readonly includedNamespaces: string[];
  /** Snapshot the volumes (Harbor's database, Redis, Trivy). @default true */
  readonly snapshotVolumes?: boolean;
  /** How long Velero keeps it, as a Go duration. @default '720h' (30 days) */
  readonly ttl?: string;
  readonly labels?: Record<string, string>;
}

/** An on-demand velero.io/v1 Backup, such as the safety backup taken before a restore. */
export function backupObject(p: BackupProps): VeleroBackup {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { name: p.name, namespace: p.veleroNamespace, labels: { ...MANAGED_BY, ...p.labels } },
    spec: {
      includedNamespaces: [...p.includedNamespaces],
      snapshotVolumes: p.snapshotVolumes ?? true,
      ttl: p.ttl ?? '720h',
      defaultVolumesToFsBackup: false,
    },
  };
}

/** A Kubernetes name from a prefix and a time: `prefix-20261125t180512z`, at most 63 characters. */
export function timestampedName(prefix: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  return `${prefix}-${stamp}`.slice(0, 63).replace(/-+$/, '');
}
