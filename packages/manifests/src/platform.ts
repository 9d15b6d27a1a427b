import { planEnvironment, type EnvironmentConfig, type EnvironmentPlan } from '@harbor-platform/config';
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
import { planImageRefs, type PlatformImageRefs } from './images.js';

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
 * Adds the platform's charts for one environment to a cdk8s app. Charts that need
 * another chart's objects declare it with `addDependency`, so cdk8s writes them in
 * order and a CDK app can mirror `chart.node.dependencies` between its manifests.
 * Dependencies on Helm releases (External Secrets, Harbor, Velero) are the CDK app's
 * to add; they are noted on `PlatformCharts`. `images`: the MinIO and ops image references
 * (the CDK app passes the built images' deploy-time digests).
 */
export function addPlatformCharts(
  app: App,
  config: EnvironmentConfig,
  plan: EnvironmentPlan = planEnvironment(config),
  images: PlatformImageRefs = planImageRefs(plan),
): PlatformCharts {
  const props = { config, plan, images };
  const namespaces = new NamespacesChart(app, 'namespaces', props);
  const storage = new StorageChart(app, 'storage', props);
  const secretStore = new SecretStoreChart(app, 'secret-store', props);
  const harborSecrets = new HarborSecretsChart(app, 'harbor-secrets', props);
  const minio = new MinioChart(app, 'minio', props);
  const minioProvisioning = new MinioProvisioningChart(app, 'minio-provisioning', props);
  const networkPolicies = new NetworkPolicyChart(app, 'network-policies', props);
  const registryBackup = new RegistryBackupChart(app, 'registry-backup', props);
  const settingsReload = new HarborSettingsReloadChart(app, 'harbor-settings-reload', props);
  const velero = new VeleroChart(app, 'velero', props);

  harborSecrets.addDependency(namespaces, secretStore);
  minio.addDependency(namespaces, storage, secretStore);
  minioProvisioning.addDependency(minio);
  networkPolicies.addDependency(namespaces);
  registryBackup.addDependency(namespaces, harborSecrets);
  settingsReload.addDependency(namespaces, harborSecrets);
  velero.addDependency(namespaces);
  return { namespaces, storage, secretStore, harborSecrets, minio, minioProvisioning, networkPolicies, registryBackup, settingsReload, velero };
}

/** A cdk8s app with every chart of one environment (`app.synthYaml()` or `app.synth()` to write it). */
export function buildManifests(
  config: EnvironmentConfig,
  options: { plan?: EnvironmentPlan; outdir?: string } = {},
): { app: App; charts: PlatformCharts } {
  const app = new App({ outdir: options.outdir, outputFileExtension: '.yaml' });
  const charts = addPlatformCharts(app, config, options.plan ?? planEnvironment(config));
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
