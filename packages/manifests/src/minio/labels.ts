import type { EnvironmentPlan } from '@harbor-platform/config';

const PREFIX = 'harbor-platform.io';

/** What the labels are made of: the MinIO Service's name (`minio.serviceName`). */
export interface MinioServicePlan {
  readonly minio: Pick<EnvironmentPlan['minio'], 'serviceName'>;
}

/** Labels of every MinIO server pod; the Services and network policies select on them. */
export function minioLabels(plan: MinioServicePlan): Record<string, string> {
  return { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': plan.minio.serviceName };
}

/** Labels of the server pods of one pool (what its PodDisruptionBudget counts). */
export function minioPoolLabels(plan: MinioServicePlan, pool: number): Record<string, string> {
  return { ...minioLabels(plan), [`${PREFIX}/minio-pool`]: String(pool) };
}

/** Labels of the server pods of one pool in one AZ (one StatefulSet). */
export function minioStatefulSetLabels(plan: MinioServicePlan, pool: number, zoneIndex: number): Record<string, string> {
  return { ...minioPoolLabels(plan, pool), [`${PREFIX}/minio-zone`]: String(zoneIndex) };
}

/** Labels of the provisioning Job's pods. */
export const PROVISIONING_LABELS = { 'app.kubernetes.io/name': 'minio-provisioning' } as const;

/** Labels of the registry-data backup pods. */
export const REGISTRY_BACKUP_LABELS = { 'app.kubernetes.io/name': 'registry-backup' } as const;
