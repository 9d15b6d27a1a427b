import {
  CLUSTER_SECRET_STORE,
  MINIO_API_PORT,
  MINIO_CONSOLE_PORT,
  SECRET_JSON_KEYS as JSON_KEYS,
  type EnvironmentConfig,
  type EnvironmentPlan,
  type PlatformImageRefs,
} from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { minioLabels, minioPoolLabels } from '../minio/labels.js';
import { MINIO_ROOT_KEYS, MINIO_ROOT_SECRET, statefulSetSpec, type MinioServerSettings } from '../minio/server.js';
import { syncSecret } from '../private/external-secrets.js';
import { maxUnavailableServers } from '../private/minio-disruption.js';

export interface MinioChartProps {
  /** The MinIO section (names, StatefulSets, pools, parity, storage class) and the AZs (`aws.availabilityZones`). */
  readonly plan: Pick<EnvironmentPlan, 'aws' | 'minio'>;
  /** `minio.rootCredentialsSecret`, `minio.resources` and `minio.setDriveCount` of the config: what the plan does not hold. */
  readonly settings: MinioServerSettings & Pick<EnvironmentConfig['minio'], 'rootCredentialsSecret'>;
  /** The server image. */
  readonly images: Pick<PlatformImageRefs, 'minio'>;
}

/**
 * Distributed MinIO laid out by the erasure plan: one StatefulSet per pool and AZ
 * (named and sized by `plan.minio.statefulSets`), one headless Service for the
 * server-to-server endpoints the command line names, a ClusterIP Service for the S3
 * API (what Harbor's registry uses) and one for the console, a PodDisruptionBudget
 * per pool that keeps write quorum, and the root credentials synced from Secrets
 * Manager. Needs the namespace, the zonal StorageClass and the ClusterSecretStore.
 */
export class MinioChart extends Chart {
  /** The plan the chart was built from. */
  readonly plan: Pick<EnvironmentPlan, 'aws' | 'minio'>;

  constructor(scope: Construct, id: string, props: MinioChartProps) {
    super(scope, id, { namespace: props.plan.minio.namespace });
    const plan = (this.plan = props.plan);
    const m = plan.minio;
    const labels = minioLabels(plan);
    const image = props.images.minio;

    syncSecret(this, 'RootCredentials', {
      name: MINIO_ROOT_SECRET,
      namespace: m.namespace,
      store: CLUSTER_SECRET_STORE,
      data: {
        [MINIO_ROOT_KEYS.user]: { secret: props.settings.rootCredentialsSecret, property: JSON_KEYS.minioRoot.username },
        [MINIO_ROOT_KEYS.password]: { secret: props.settings.rootCredentialsSecret, property: JSON_KEYS.minioRoot.password },
      },
    });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: m.serviceName }, automountServiceAccountToken: false });

    new k8s.KubeService(this, 'Headless', {
      metadata: { name: m.headlessServiceName, labels },
      spec: {
        clusterIp: 'None',
        // Servers must resolve each other before they are ready: readiness needs the peers.
        publishNotReadyAddresses: true,
        selector: labels,
        ports: [{ name: 'api', port: MINIO_API_PORT, targetPort: k8s.IntOrString.fromNumber(MINIO_API_PORT) }],
      },
    });
    new k8s.KubeService(this, 'Api', {
      metadata: { name: m.serviceName, labels },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'api', port: MINIO_API_PORT, targetPort: k8s.IntOrString.fromNumber(MINIO_API_PORT) }],
      },
    });
    new k8s.KubeService(this, 'Console', {
      metadata: { name: `${m.serviceName}-console`, labels },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'console', port: MINIO_CONSOLE_PORT, targetPort: k8s.IntOrString.fromNumber(MINIO_CONSOLE_PORT) }],
      },
    });

    for (const set of m.statefulSets) {
      new k8s.KubeStatefulSet(this, set.name, {
        metadata: { name: set.name, labels: { ...labels } },
        spec: statefulSetSpec(props.settings, plan, set, image),
      });
    }

    for (const pool of m.pools) {
      new k8s.KubePodDisruptionBudget(this, `Pdb${pool.index}`, {
        metadata: { name: `${m.serviceName}-p${pool.index}`, labels },
        spec: {
          selector: { matchLabels: minioPoolLabels(plan, pool.index) },
          maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailableServers(pool, plan.aws.availabilityZones.length)),
        },
      });
    }
  }
}
