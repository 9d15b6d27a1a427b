import { ManifestError } from '../errors.js';

/** Where the API server serves one kind: the names RBAC rules and admission requests use. */
export interface ApiResource {
  /** API group, `''` for the core group. */
  readonly group: string;
  /** Plural resource name, as in an RBAC rule and in `request.resource.resource`. */
  readonly resource: string;
  /** Namespaced (a Role grants it) or cluster-scoped (only a ClusterRole can). */
  readonly namespaced: boolean;
}

/**
 * The kinds the platform's charts render, by `Kind.group` (`Kind` alone for the core
 * group), as `kubectl api-resources` lists them on a 1.33 cluster with Velero 1.18 and
 * External Secrets. Kubernetes derives neither the plural nor the scope from the kind,
 * so they are written down; the tests check the Velero entries against its CRDs, the
 * core plurals against cdk8s-plus, and every scope against the rendered objects.
 */
export const API_RESOURCES: Readonly<Record<string, { readonly resource: string; readonly namespaced: boolean }>> = {
  'Namespace': { resource: 'namespaces', namespaced: false },
  'ConfigMap': { resource: 'configmaps', namespaced: true },
  'Service': { resource: 'services', namespaced: true },
  'ServiceAccount': { resource: 'serviceaccounts', namespaced: true },
  'StatefulSet.apps': { resource: 'statefulsets', namespaced: true },
  'Job.batch': { resource: 'jobs', namespaced: true },
  'CronJob.batch': { resource: 'cronjobs', namespaced: true },
  'PodDisruptionBudget.policy': { resource: 'poddisruptionbudgets', namespaced: true },
  'NetworkPolicy.networking.k8s.io': { resource: 'networkpolicies', namespaced: true },
  'StorageClass.storage.k8s.io': { resource: 'storageclasses', namespaced: false },
  'ClusterSecretStore.external-secrets.io': { resource: 'clustersecretstores', namespaced: false },
  'ExternalSecret.external-secrets.io': { resource: 'externalsecrets', namespaced: true },
  'BackupStorageLocation.velero.io': { resource: 'backupstoragelocations', namespaced: true },
  'VolumeSnapshotLocation.velero.io': { resource: 'volumesnapshotlocations', namespaced: true },
  'Schedule.velero.io': { resource: 'schedules', namespaced: true },
};

/** The API group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> `''`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The resource of a kind, or an error that says where to add it. */
export function apiResourceOf(apiVersion: string, kind: string): ApiResource {
  const group = apiGroupOf(apiVersion);
  const key = group ? `${kind}.${group}` : kind;
  const known = API_RESOURCES[key];
  if (!known) {
    throw new ManifestError(
      `${apiVersion} ${kind}: no API resource known for it: add "${key}" with its plural and scope (kubectl api-resources) to API_RESOURCES in packages/manifests/src/access/api-resources.ts`,
    );
  }
  return { group, ...known };
}
