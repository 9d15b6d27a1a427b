/**
 * The platform's Kubernetes objects as cdk8s charts. Each chart takes the plan's part it reads
 * (and the few config fields the plan does not hold); `addPlatformCharts` and `buildManifests`
 * give every chart of one environment from its plan. What only this package uses lives in
 * `src/private/` and is not exported.
 */

// Every chart of one environment.
export { addPlatformCharts, buildManifests, chartsInOrder, type PlatformCharts } from './platform.js';

// The charts, one by one.
export { NamespacesChart, POD_READINESS_GATE_LABEL, type NamespacesChartProps } from './charts/namespaces.js';
export { EBS_CSI_PROVISIONER, StorageChart, type StorageChartProps } from './charts/storage.js';
export { SecretStoreChart, type SecretStoreChartProps } from './charts/secret-store.js';
export { derived, HarborSecretsChart, type HarborSecretsChartProps } from './charts/harbor-secrets.js';
export { MinioChart, type MinioChartProps } from './charts/minio.js';
export { MINIO_HARBOR_USER_SECRET, MinioProvisioningChart, type MinioProvisioningChartProps } from './charts/minio-provisioning.js';
export { NetworkPolicyChart, POD_IDENTITY_AGENT, type NetworkPolicyChartProps } from './charts/network-policies.js';
export type { HarborPolicySettings } from './private/harbor-network-policies.js';
export { HARBOR_REGISTRY_PORT, harborRegistryUrl, RegistryBackupChart, type RegistryBackupChartProps } from './charts/registry-backup.js';
export {
  HarborSettingsReloadChart,
  HarborSettingsReloadRbacChart,
  SETTINGS_RELOAD_LABELS,
  type HarborSettingsReloadChartProps,
  type HarborSettingsReloadRbacChartProps,
} from './charts/harbor-settings-reload.js';
export { VeleroChart, type VeleroChartProps } from './charts/velero.js';

// The GitHub workflows' cluster access (applied by the CDK app).
export { DiffAccessChart, DryRunOnlyPolicyChart, type DiffAccessChartProps, type DryRunOnlyPolicyChartProps } from './charts/dry-run-access.js';
export { DrillGuardPolicyChart, type DrillGuardPolicyChartProps } from './charts/drill-guard.js';
export { API_RESOURCES, apiGroupOf, apiResourceOf, type ApiResource } from './access/api-resources.js';
export { DIFF_VERBS, diffRules, type AccessRule, type AccessRules } from './access/diff-rules.js';
export { DRY_RUN_EXPRESSION, groupExpression, outsideRealWritesExpression, type RealWrites } from './access/policy-expressions.js';
export { drillGuardMatch, drillGuardValidations, type DrillGuard, type GuardValidation } from './access/drill-guard-expressions.js';

// MinIO: what the ops commands and the local stack share with the charts.
export { MINIO_ROOT_KEYS, MINIO_ROOT_SECRET, type MinioServerPlan, type MinioServerSettings } from './minio/server.js';
export { PROVISIONING_LABELS, REGISTRY_BACKUP_LABELS, type MinioServicePlan } from './minio/labels.js';
export { BUCKET_ACTIONS, OBJECT_ACTIONS, registryBucketPolicy, type BucketPolicy } from './minio/policy.js';
export { POLICY_NAME, PROVISION_SCRIPT } from './minio/provision-script.js';
export { NAMESPACE_NAME_LABEL, VELERO_EXCLUDE_LABEL } from './private/security.js';
export { toYaml } from './yaml.js';
/** The specs of Velero's Backup and Restore as the 1.18.1 CRDs declare them (cdk8s import; ops builds and reads these objects). */
export type { BackupSpec as VeleroBackupSpec, RestoreSpec as VeleroRestoreSpec } from './imports/velero.io.js';
