import { createHash } from 'node:crypto';
import { CLUSTER_SECRET_STORE, SECRET_JSON_KEYS as JSON_KEYS, type EnvironmentConfig, type EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { PROVISIONING_LABELS } from '../minio/labels.js';
import { registryBucketPolicy } from '../minio/policy.js';
import { PROVISION_SCRIPT } from '../minio/provision-script.js';
import { MINIO_ROOT_KEYS, MINIO_ROOT_SECRET } from '../minio/server.js';
import { syncSecret } from '../private/external-secrets.js';
import { restrictedContainer, restrictedPod } from '../private/security.js';

export interface MinioProvisioningChartProps {
  /** The MinIO section: namespace, Service name, bucket and endpoint. */
  readonly plan: Pick<EnvironmentPlan, 'minio'>;
  /** `minio.harborCredentialsSecret` and `minio.clientImage` of the config: what the plan does not hold. */
  readonly settings: Pick<EnvironmentConfig['minio'], 'harborCredentialsSecret' | 'clientImage'>;
}

/** Secret (in the MinIO namespace) with the Harbor user's keys, for the Job to create the user. */
export const MINIO_HARBOR_USER_SECRET = 'minio-harbor-user';
const CLIENT_UID = 1000;

/**
 * The Job that creates, declaratively and idempotently, Harbor's bucket, Harbor's
 * MinIO user and its least-privilege policy (see minio/policy.ts). A Job's pod
 * template cannot change in place, so its name carries a hash of everything it
 * does: a changed script, policy, image or bucket is a new Job that runs again.
 * Needs MinioChart (the servers and the root Secret).
 */
export class MinioProvisioningChart extends Chart {
  readonly jobName: string;

  constructor(scope: Construct, id: string, props: MinioProvisioningChartProps) {
    super(scope, id, { namespace: props.plan.minio.namespace });
    const { plan, settings } = props;
    const policy = JSON.stringify(registryBucketPolicy(plan.minio.bucket), null, 2);

    syncSecret(this, 'HarborUser', {
      name: MINIO_HARBOR_USER_SECRET,
      namespace: plan.minio.namespace,
      store: CLUSTER_SECRET_STORE,
      data: {
        accessKey: { secret: settings.harborCredentialsSecret, property: JSON_KEYS.minioHarbor.username },
        secretKey: { secret: settings.harborCredentialsSecret, property: JSON_KEYS.minioHarbor.password },
      },
    });

    const hash = createHash('sha256').update([PROVISION_SCRIPT, policy, settings.clientImage, plan.minio.endpoint].join('\0')).digest('hex').slice(0, 10);
    const name = `${plan.minio.serviceName}-provisioning`;
    this.jobName = `${name}-${hash}`;
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: `${name}-${hash}` },
      data: { 'policy.json': policy, 'provision.sh': PROVISION_SCRIPT },
    });

    const secretEnv = (envName: string, secret: string, key: string): k8s.EnvVar => ({
      name: envName,
      valueFrom: { secretKeyRef: { name: secret, key } },
    });
    new k8s.KubeJob(this, 'Job', {
      metadata: { name: this.jobName, labels: { ...PROVISIONING_LABELS } },
      spec: {
        backoffLimit: 6,
        // Bounds the whole run, waits included.
        activeDeadlineSeconds: 15 * 60,
        template: {
          metadata: { labels: { ...PROVISIONING_LABELS } },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: restrictedPod(CLIENT_UID),
            containers: [
              {
                name: 'mc',
                image: settings.clientImage,
                command: ['/bin/sh', '/config/provision.sh'],
                env: [
                  { name: 'MINIO_ENDPOINT', value: plan.minio.endpoint },
                  { name: 'BUCKET', value: plan.minio.bucket },
                  { name: 'HOME', value: '/tmp' },
                  secretEnv('MINIO_ROOT_USER', MINIO_ROOT_SECRET, MINIO_ROOT_KEYS.user),
                  secretEnv('MINIO_ROOT_PASSWORD', MINIO_ROOT_SECRET, MINIO_ROOT_KEYS.password),
                  secretEnv('HARBOR_ACCESS_KEY', MINIO_HARBOR_USER_SECRET, 'accessKey'),
                  secretEnv('HARBOR_SECRET_KEY', MINIO_HARBOR_USER_SECRET, 'secretKey'),
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                  limits: { memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: restrictedContainer(),
                volumeMounts: [
                  { name: 'config', mountPath: '/config', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
            ],
          },
        },
      },
    });
  }
}
