import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, type IDependable } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { HelmRelease, type HelmReleaseProps } from './helm-release.js';
import { PropsCheck, ValidationError } from '../errors.js';
import type { PlatformWorkloadCharts } from '../manifests/manifest-sources.js';

/** One Helm release of the workloads: HelmRelease's props without the cluster. */
export type WorkloadRelease = Omit<HelmReleaseProps, 'cluster'>;

/** A Pod Identity role whose service account the charts refer to but do not create (PodIdentityRole). */
export interface IServiceAccountRole {
  /** The Pod Identity association: the service account's pods get credentials once it exists. */
  readonly association: IDependable;
  /** Creates the service account, after `after` (its namespace). */
  addServiceAccount(...after: IDependable[]): IDependable;
}

export interface PlatformWorkloadsProps {
  /** The cluster, its EBS CSI driver (volumes) and VPC CNI (network policies): PlatformCluster. */
  readonly cluster: { readonly cluster: eks.ICluster; readonly ebsCsiDriver: IDependable; readonly vpcCni: IDependable };
  /** The charts to apply (packages/manifests' charts of the environment, composed by the app). */
  readonly charts: PlatformWorkloadCharts;
  /** Harbor's release (`harborChart`, `harborValues` of packages/config); its namespace is created by `charts.namespaces`. */
  readonly harbor: WorkloadRelease;
  /** Velero's release (`veleroChart`, `veleroValues`); its namespace is created by `charts.namespaces`. */
  readonly velero: WorkloadRelease;
  /**
   * The Secret (in Harbor's namespace) the Harbor chart reads with `lookup` at render time:
   * the synced Redis auth token of an external Redis. The release waits until External
   * Secrets has written it.
   * @default none: the chart reads no Secret at render time
   */
  readonly renderTimeSecret?: string;
  /** The AWS Load Balancer Controller: Harbor's Ingress needs its webhook. */
  readonly loadBalancerController: IDependable;
  /** The External Secrets Operator: the secret store needs its CRDs, Harbor the Secrets it syncs. */
  readonly externalSecrets: IDependable;
  /** Pod Identity roles whose service accounts this construct creates (the charts only refer to them). */
  readonly veleroRole: IServiceAccountRole;
  readonly registryBackupRole: IServiceAccountRole;
}

/**
 * What runs in the cluster: the cdk8s charts (namespaces, storage classes, secret store and
 * synced secrets, MinIO, network policies, registry-data backup, Velero locations and
 * schedules) and the Harbor and Velero Helm releases, applied in the order their objects
 * need each other: each chart after the charts of its `node.dependencies`, and after the
 * releases and add-ons it needs.
 */
export class PlatformWorkloads extends Construct {
  readonly charts: PlatformWorkloadCharts;
  /** One Kubernetes manifest per chart, by chart id. */
  readonly manifests = new Map<string, eks.KubernetesManifest>();
  readonly harbor: HelmRelease;
  readonly velero: HelmRelease;
  /** RBAC of the harbor-settings-reload CronJob (restarts core on a rotated LDAP bind password). */
  readonly settingsReloadRbac: eks.KubernetesManifest;
  /** The wait for the Secret the Harbor chart reads at render time (`renderTimeSecret`). */
  readonly redisSecretSynced?: eks.KubernetesObjectValue;

  constructor(scope: Construct, id: string, props: PlatformWorkloadsProps) {
    super(scope, id);
    const { charts } = props;
    const cluster = props.cluster.cluster;
    this.charts = charts;

    for (const chart of charts.inOrder) {
      const manifest = new eks.KubernetesManifest(this, chart.node.id, { cluster, manifest: chart.toJson(), overwrite: true });
      this.manifests.set(chart.node.id, manifest);
      for (const dependency of chart.node.dependencies) manifest.node.addDependency(this.manifestOf(dependency));
    }
    const named = [
      charts.namespaces, charts.storage, charts.secretStore, charts.harborSecrets,
      charts.minioProvisioning, charts.networkPolicies, charts.registryBackup, charts.velero,
    ];
    new PropsCheck('PlatformWorkloads')
      .require(named.every((c) => charts.inOrder.includes(c)), 'charts: a named chart is not in charts.inOrder: list every chart there')
      .throwIfAny();
    const namespaces = this.manifestOf(charts.namespaces);

    const veleroAccount = props.veleroRole.addServiceAccount(namespaces);
    const backupAccount = props.registryBackupRole.addServiceAccount(namespaces);

    // Charts on the cluster's add-ons: the secret store on External Secrets' CRDs, volumes on the EBS CSI driver.
    this.manifestOf(charts.secretStore).node.addDependency(props.externalSecrets);
    this.manifestOf(charts.storage).node.addDependency(props.cluster.ebsCsiDriver);
    // NetworkPolicies mean something only once the CNI's network policy agent runs.
    this.manifestOf(charts.networkPolicies).node.addDependency(props.cluster.vpcCni);

    this.velero = new HelmRelease(this, 'Velero', { cluster, ...props.velero, createNamespace: false });
    this.velero.node.addDependency(veleroAccount, props.veleroRole.association, props.cluster.ebsCsiDriver);
    this.manifestOf(charts.velero).node.addDependency(this.velero);

    this.harbor = new HelmRelease(this, 'Harbor', { cluster, ...props.harbor, createNamespace: false });
    // Its ingress needs the controller's webhook, its pods the synced Secrets, its volumes the StorageClasses, its registry MinIO.
    const before: IDependable[] = [props.loadBalancerController, props.externalSecrets, props.cluster.ebsCsiDriver];
    for (const chart of [charts.harborSecrets, charts.storage, charts.minioProvisioning]) before.push(this.manifestOf(chart));
    // The chart reads the Redis Secret with `lookup` at render time (the token goes into Harbor's
    // ConfigMaps), so applying its ExternalSecret is not enough: the release waits until External
    // Secrets has written the Secret, or a first install would render Redis without its token.
    if (props.renderTimeSecret) {
      this.redisSecretSynced = new eks.KubernetesObjectValue(this, 'HarborRedisSecretSynced', {
        cluster,
        objectType: 'secret',
        objectName: props.renderTimeSecret,
        objectNamespace: props.harbor.namespace,
        jsonPath: '.metadata.name',
        timeout: DEFAULTS.redis.secretSyncTimeout,
      });
      this.redisSecretSynced.node.addDependency(this.manifestOf(charts.harborSecrets), props.externalSecrets);
      before.push(this.redisSecretSynced);
    }
    this.harbor.node.addDependency(...before);
    this.manifestOf(charts.registryBackup).node.addDependency(this.harbor, backupAccount, props.registryBackupRole.association);

    // The settings reload's Role and binding, beside its CronJob (not among the charts drift diffs).
    this.settingsReloadRbac = new eks.KubernetesManifest(this, 'HarborSettingsReloadRbac', { cluster, manifest: charts.settingsReloadRbac.toJson(), overwrite: true });
    this.settingsReloadRbac.node.addDependency(namespaces);
  }

  /** The manifest of the namespaces chart: what must exist before anything namespaced. */
  get namespaces(): eks.KubernetesManifest {
    return this.manifestOf(this.charts.namespaces);
  }

  private manifestOf(chart: { readonly node: { readonly id: string } }): eks.KubernetesManifest {
    const manifest = this.manifests.get(chart.node.id);
    if (!manifest) throw new ValidationError(`PlatformWorkloads: chart "${chart.node.id}" is not applied (or applied after a chart that needs it)`, this);
    return manifest;
  }
}
