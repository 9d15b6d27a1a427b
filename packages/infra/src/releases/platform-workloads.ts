import {
  HARBOR_RELEASE,
  HARBOR_SECRETS,
  harborChart,
  harborValues,
  VELERO_RELEASE,
  veleroChart,
  veleroValues,
  type EnvironmentConfig,
  type EnvironmentPlan,
  type HarborEndpoints,
} from '@harbor-platform/config';
import { addPlatformCharts, chartsInOrder, HarborSettingsReloadRbacChart, type PlatformCharts, type PlatformImageRefs } from '@harbor-platform/manifests';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { App as Cdk8sApp, type Chart } from 'cdk8s';
import { Construct, type IDependable } from 'constructs';
import { ValidationError } from '../errors.js';
import type { AwsLoadBalancerController } from './aws-load-balancer-controller.js';
import type { ExternalSecretsOperator } from './external-secrets-operator.js';
import { DEFAULTS } from '../defaults.js';
import { HelmRelease } from './helm-release.js';
import type { PlatformCluster } from '../cluster/platform-cluster.js';
import type { PodIdentityRole } from '../cluster/pod-identity-role.js';

export interface PlatformWorkloadsProps {
  readonly cluster: PlatformCluster;
  readonly config: EnvironmentConfig;
  readonly plan: EnvironmentPlan;
  /** Addresses known at deploy time (RDS, ElastiCache), passed to Harbor's values. */
  readonly harborEndpoints: HarborEndpoints;
  readonly loadBalancerController: AwsLoadBalancerController;
  readonly externalSecrets: ExternalSecretsOperator;
  /** Pod Identity roles whose service accounts this construct creates (the charts only refer to them). */
  readonly veleroRole: PodIdentityRole;
  readonly registryBackupRole: PodIdentityRole;
  /**
   * The MinIO and ops images the charts run (deployedImageRefs: a built image by its deploy-time digest).
   * @default - the plan's references (planImageRefs), whose built images name their digest parameter instead of a digest
   */
  readonly images?: PlatformImageRefs;
}

/**
 * What runs in the cluster: the cdk8s charts of packages/manifests (namespaces,
 * storage classes, secret store and synced secrets, MinIO, network policies,
 * registry-data backup, Velero locations and schedules) and the Harbor and
 * Velero Helm releases with the values packages/config derives, applied in the
 * order their objects need each other.
 */
export class PlatformWorkloads extends Construct {
  readonly charts: PlatformCharts;
  /** One Kubernetes manifest per chart, by chart id. */
  readonly manifests = new Map<string, eks.KubernetesManifest>();
  readonly harbor: HelmRelease;
  readonly velero: HelmRelease;
  /** RBAC of the harbor-settings-reload CronJob (restarts core on a rotated LDAP bind password). */
  readonly settingsReloadRbac: eks.KubernetesManifest;
  /** The wait for the synced Redis Secret the Harbor chart reads at render time (external Redis with an auth token). */
  readonly redisSecretSynced?: eks.KubernetesObjectValue;

  constructor(scope: Construct, id: string, props: PlatformWorkloadsProps) {
    super(scope, id);
    const { config, plan } = props;
    const cluster = props.cluster.cluster;

    this.charts = addPlatformCharts(new Cdk8sApp(), config, plan, props.images);
    for (const chart of chartsInOrder(this.charts)) {
      const manifest = new eks.KubernetesManifest(this, chart.node.id, { cluster, manifest: chart.toJson(), overwrite: true });
      this.manifests.set(chart.node.id, manifest);
      for (const dependency of chart.node.dependencies) manifest.node.addDependency(this.manifestOf(dependency as Chart));
    }
    const namespaces = this.manifestOf(this.charts.namespaces);

    const veleroAccount = props.veleroRole.addServiceAccount(namespaces);
    const backupAccount = props.registryBackupRole.addServiceAccount(namespaces);

    // Charts on the cluster's add-ons: the secret store on External Secrets' CRDs, volumes on the EBS CSI driver.
    this.manifestOf(this.charts.secretStore).node.addDependency(props.externalSecrets);
    this.manifestOf(this.charts.storage).node.addDependency(props.cluster.ebsCsiDriver);
    // NetworkPolicies mean something only once the CNI's network policy agent runs.
    this.manifestOf(this.charts.networkPolicies).node.addDependency(props.cluster.vpcCni);

    this.velero = new HelmRelease(this, 'Velero', {
      cluster,
      chart: veleroChart(config),
      release: VELERO_RELEASE,
      namespace: config.velero.namespace,
      createNamespace: false,
      values: veleroValues(config),
    });
    this.velero.node.addDependency(veleroAccount, props.veleroRole.association, props.cluster.ebsCsiDriver);
    this.manifestOf(this.charts.velero).node.addDependency(this.velero);

    this.harbor = new HelmRelease(this, 'Harbor', {
      cluster,
      chart: harborChart(config),
      release: HARBOR_RELEASE,
      namespace: config.harbor.namespace,
      createNamespace: false,
      values: harborValues(config, plan, props.harborEndpoints),
    });
    // Its ingress needs the controller's webhook, its pods the synced Secrets, its volumes the StorageClasses, its registry MinIO.
    const before: IDependable[] = [props.loadBalancerController, props.externalSecrets, props.cluster.ebsCsiDriver];
    for (const chart of [this.charts.harborSecrets, this.charts.storage, this.charts.minioProvisioning]) before.push(this.manifestOf(chart));
    // The chart reads the Redis Secret with `lookup` at render time (the token goes into Harbor's
    // ConfigMaps), so applying its ExternalSecret is not enough: the release waits until External
    // Secrets has written the Secret, or a first install would render Redis without its token.
    const redis = config.harbor.redis;
    if (redis.type === 'external' && redis.authTokenSecret) {
      this.redisSecretSynced = new eks.KubernetesObjectValue(this, 'HarborRedisSecretSynced', {
        cluster,
        objectType: 'secret',
        objectName: HARBOR_SECRETS.redis,
        objectNamespace: config.harbor.namespace,
        jsonPath: '.metadata.name',
        timeout: DEFAULTS.redis.secretSyncTimeout,
      });
      this.redisSecretSynced.node.addDependency(this.manifestOf(this.charts.harborSecrets), props.externalSecrets);
      before.push(this.redisSecretSynced);
    }
    this.harbor.node.addDependency(...before);
    this.manifestOf(this.charts.registryBackup).node.addDependency(this.harbor, backupAccount, props.registryBackupRole.association);

    // The settings reload's Role and binding, beside its CronJob (not among the charts drift diffs).
    const reloadRbac = new HarborSettingsReloadRbacChart(new Cdk8sApp(), 'harbor-settings-reload-rbac', { config });
    this.settingsReloadRbac = new eks.KubernetesManifest(this, 'HarborSettingsReloadRbac', { cluster, manifest: reloadRbac.toJson(), overwrite: true });
    this.settingsReloadRbac.node.addDependency(namespaces);
  }

  private manifestOf(chart: Chart): eks.KubernetesManifest {
    const manifest = this.manifests.get(chart.node.id);
    if (!manifest) throw new ValidationError(`PlatformWorkloads: chart "${chart.node.id}" is not applied (or applied after a chart that needs it)`, this);
    return manifest;
  }
}
