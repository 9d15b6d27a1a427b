import { planImageRefs, type EnvironmentConfig, type EnvironmentPlan, type PlatformImageRefs } from '@harbor-platform/config';
import { App, type Chart } from 'cdk8s';
import { HarborSecretsChart } from './charts/harbor-secrets.js';
import { HarborSettingsReloadChart } from './charts/harbor-settings-reload.js';
import { MinioProvisioningChart } from './charts/minio-provisioning.js';
import { MinioChart } from './charts/minio.js';
import { NamespacesChart } from './charts/namespaces.js';
import { NetworkPolicyChart } from './charts/network-policies.js';
import { RegistryBackupChart } from './charts/registry-backup.js';
import { SecretStoreChart } from './charts/secret-store.js';
import { StorageChart } from './charts/storage.js';
import { VeleroChart } from './charts/velero.js';

/** Every chart of one environment, by concern. */
export interface PlatformCharts {
  readonly namespaces: NamespacesChart;
  readonly storage: StorageChart;
  /** Needs the External Secrets Operator release (its CRDs). */
  readonly secretStore: SecretStoreChart;
  readonly harborSecrets: HarborSecretsChart;
  readonly minio: MinioChart;
  readonly minioProvisioning: MinioProvisioningChart;
  readonly networkPolicies: NetworkPolicyChart;
  /** Needs the Harbor release's Secrets (it runs against Harbor's registry). */
  readonly registryBackup: RegistryBackupChart;
  readonly settingsReload: HarborSettingsReloadChart;
  /** Needs the Velero release (its CRDs). */
  readonly velero: VeleroChart;
}

/**
 * Adds the platform's charts for one environment to a cdk8s app, each given the plan's part it
 * reads (and the few config fields the plan does not hold: secret names, the MinIO client image
 * and resources, the LDAP URL). Charts that need
 * another chart's objects declare it with `addDependency`, so cdk8s writes them in
 * order and a CDK app can mirror `chart.node.dependencies` between its manifests.
 * Dependencies on Helm releases (External Secrets, Harbor, Velero) are the CDK app's
 * to add; they are noted on `PlatformCharts`. `plan`: the environment's plan, computed once by
 * the caller. `images`: the MinIO and ops image references (the CDK app passes the built
 * images' deploy-time digests).
 */
export function addPlatformCharts(
  app: App,
  config: EnvironmentConfig,
  plan: EnvironmentPlan,
  images: PlatformImageRefs = planImageRefs(plan),
): PlatformCharts {
  const namespaces = new NamespacesChart(app, 'namespaces', { plan, fileSystemBackup: config.velero.fileSystemBackup });
  const storage = new StorageChart(app, 'storage', {
    classes: { general: config.harbor.storage.storageClass, database: config.harbor.storage.databaseStorageClass, minio: plan.minio.storageClass },
    defaultStorageClass: config.cluster.defaultStorageClass,
  });
  const secretStore = new SecretStoreChart(app, 'secret-store', { plan });
  const harborSecrets = new HarborSecretsChart(app, 'harbor-secrets', { plan, config });
  const minio = new MinioChart(app, 'minio', { plan, settings: config.minio, images });
  const minioProvisioning = new MinioProvisioningChart(app, 'minio-provisioning', { plan, settings: config.minio });
  const networkPolicies = new NetworkPolicyChart(app, 'network-policies', { plan, ldapUrl: config.ldap.url });
  const registryBackup = new RegistryBackupChart(app, 'registry-backup', { plan, images, maxDurationMinutes: config.registryBackup.maxDurationMinutes });
  const settingsReload = new HarborSettingsReloadChart(app, 'harbor-settings-reload', { plan, images });
  const velero = new VeleroChart(app, 'velero', { plan });

  harborSecrets.addDependency(namespaces, secretStore);
  minio.addDependency(namespaces, storage, secretStore);
  minioProvisioning.addDependency(minio);
  networkPolicies.addDependency(namespaces);
  registryBackup.addDependency(namespaces, harborSecrets);
  settingsReload.addDependency(namespaces, harborSecrets);
  velero.addDependency(namespaces);
  return { namespaces, storage, secretStore, harborSecrets, minio, minioProvisioning, networkPolicies, registryBackup, settingsReload, velero };
}

/**
 * A cdk8s app with every chart of one environment (`app.synthYaml()` or `app.synth()` to write it).
 * `options.plan`: the environment's plan, computed once by the caller. `options.outdir`: where
 * `app.synth()` writes, one YAML file per chart. @default outdir - cdk8s's `dist/`
 */
export function buildManifests(
  config: EnvironmentConfig,
  options: { readonly plan: EnvironmentPlan; readonly outdir?: string },
): { app: App; charts: PlatformCharts } {
  const app = new App({ outdir: options.outdir, outputFileExtension: '.yaml' });
  const charts = addPlatformCharts(app, config, options.plan);
  return { app, charts };
}

/** The charts in the order they can be applied. */
export function chartsInOrder(charts: PlatformCharts): Chart[] {
  return [
    charts.namespaces,
    charts.storage,
    charts.secretStore,
    charts.harborSecrets,
    charts.minio,
    charts.minioProvisioning,
    charts.networkPolicies,
    charts.registryBackup,
    charts.settingsReload,
    charts.velero,
  ];
}
