import {
  HARBOR_REGISTRY_USER,
  HARBOR_SECRET_KEYS as KEYS,
  HARBOR_SECRETS,
  SERVICE_ACCOUNTS,
  type EnvironmentPlan,
  type PlanNames,
  type PlatformImageRefs,
} from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { REGISTRY_BACKUP_LABELS } from '../minio/labels.js';
import { restrictedContainer, restrictedPod } from '../private/security.js';

export interface RegistryBackupChartProps {
  /**
   * `aws.region`, Harbor's namespace and release (`names`), the MinIO bucket and endpoint
   * (`minio`), the copy's schedule, bucket, prefix and retention (`backups.registryData`).
   */
  readonly plan: Pick<EnvironmentPlan, 'aws' | 'names' | 'minio' | 'backups'>;
  /** The ops CLI image. */
  readonly images: Pick<PlatformImageRefs, 'ops'>;
  /** `registryBackup.maxDurationMinutes`: a run still going after this is stopped. */
  readonly maxDurationMinutes: number;
}

/** Port of the Harbor chart's registry Service (without internal TLS). */
export const HARBOR_REGISTRY_PORT = 5000;
const OPS_UID = 1000;

/** The in-cluster URL of Harbor's own registry (distribution, basic auth with the chart's registry user). */
export function harborRegistryUrl(names: Pick<PlanNames, 'releases' | 'namespaces'>): string {
  return `http://${names.releases.harbor}-registry.${names.namespaces.harbor}.svc.cluster.local:${HARBOR_REGISTRY_PORT}`;
}

/** `s3://bucket/prefix` without the trailing slash the config's prefix carries. */
function s3Url(bucket: string, prefix = ''): string {
  const p = prefix.replace(/\/+$/, '');
  return `s3://${bucket}${p ? `/${p}` : ''}`;
}

/**
 * The object-level backup of the registry's data: on the configured schedule, the
 * ops CLI's `registry-backup` records an inventory of the registry and copies the
 * Harbor bucket from MinIO to the backup bucket's prefix, incrementally, then prunes
 * blobs no kept inventory references. It writes to S3 as its own service account
 * (EKS Pod Identity; the CDK app creates it with a role limited to that prefix),
 * reads MinIO with Harbor's MinIO user and the registry with Harbor's registry user,
 * all from Secrets, never from arguments. Its egress is limited by NetworkPolicyChart.
 */
export class RegistryBackupChart extends Chart {
  constructor(scope: Construct, id: string, props: RegistryBackupChartProps) {
    super(scope, id, { namespace: props.plan.names.namespaces.harbor });
    const plan = props.plan;
    const data = plan.backups.registryData;
    const region = plan.aws.region;
    const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

    new k8s.KubeCronJob(this, 'CronJob', {
      metadata: { name: 'registry-backup', labels: { ...REGISTRY_BACKUP_LABELS } },
      spec: {
        schedule: data.cron,
        // The config's cron expressions are UTC.
        timeZone: 'Etc/UTC',
        // Never two copies at once; a missed run starts late only within the hour.
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: { ...REGISTRY_BACKUP_LABELS } },
          spec: {
            // The copy is idempotent and incremental, so a retry resumes where it failed.
            backoffLimit: 2,
            activeDeadlineSeconds: props.maxDurationMinutes * 60,
            template: {
              metadata: { labels: { ...REGISTRY_BACKUP_LABELS } },
              spec: {
                serviceAccountName: SERVICE_ACCOUNTS.registryBackup,
                restartPolicy: 'Never',
                securityContext: restrictedPod(OPS_UID),
                containers: [
                  {
                    name: 'registry-backup',
                    image: props.images.ops,
                    command: ['harbor-platform'],
                    args: [
                      'registry-backup',
                      '--registry',
                      harborRegistryUrl(plan.names),
                      '--source',
                      s3Url(plan.minio.bucket),
                      '--target',
                      s3Url(data.bucket, data.prefix),
                      '--prune',
                      '--keep',
                      String(data.retention),
                    ],
                    env: [
                      { name: 'HARBOR_PLATFORM_SOURCE_S3_ENDPOINT', value: plan.minio.endpoint },
                      { name: 'HARBOR_PLATFORM_SOURCE_S3_REGION', value: region },
                      secretEnv('HARBOR_PLATFORM_SOURCE_S3_ACCESS_KEY_ID', HARBOR_SECRETS.registryS3, KEYS.s3AccessKey),
                      secretEnv('HARBOR_PLATFORM_SOURCE_S3_SECRET_ACCESS_KEY', HARBOR_SECRETS.registryS3, KEYS.s3SecretKey),
                      // The target is AWS S3 through the SDK's chain: Pod Identity.
                      { name: 'HARBOR_PLATFORM_TARGET_S3_REGION', value: region },
                      { name: 'AWS_REGION', value: region },
                      { name: 'HARBOR_PLATFORM_REGISTRY_USERNAME', value: HARBOR_REGISTRY_USER },
                      secretEnv('HARBOR_PLATFORM_REGISTRY_PASSWORD', HARBOR_SECRETS.internal, KEYS.registryPassword),
                      { name: 'HOME', value: '/tmp' },
                    ],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('256Mi') },
                      limits: { memory: k8s.Quantity.fromString('1Gi') },
                    },
                    securityContext: restrictedContainer(),
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } }],
              },
            },
          },
        },
      },
    });
  }
}
