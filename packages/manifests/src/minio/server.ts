import { MINIO_API_PORT, MINIO_CONSOLE_PORT, type EnvironmentConfig, type EnvironmentPlan, type MinioStatefulSetPlan } from '@harbor-platform/config';
import { k8s } from 'cdk8s-plus-33';
import { minioLabels, minioStatefulSetLabels } from './labels.js';
import { restrictedContainer, restrictedPod, VELERO_EXCLUDE_LABEL } from '../private/security.js';

/** Secret (synced by External Secrets) with the root user; the provisioning Job reads it too. */
export const MINIO_ROOT_SECRET = 'minio-root';
export const MINIO_ROOT_KEYS = { user: 'MINIO_ROOT_USER', password: 'MINIO_ROOT_PASSWORD' } as const;

/** MinIO runs as this unprivileged user; the drives are group-owned by it (fsGroup). */
const MINIO_UID = 1000;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The servers' settings the plan does not hold: `minio.resources` and `minio.setDriveCount`. */
export type MinioServerSettings = Pick<EnvironmentConfig['minio'], 'resources' | 'setDriveCount'>;

/** The plan's part the servers are made of: the MinIO section (names, pools, parity, storage class). */
export type MinioServerPlan = Pick<EnvironmentPlan, 'minio'>;

/** `/data0`, `/data1`, ...: the mount points the plan's server argument names. */
export function driveName(index: number): string {
  return `data${index}`;
}

/**
 * `minio server` with every pool, in pool order. Each pool argument comes from the
 * plan (`{a...b}` expansion with the zone varying fastest), which is what the erasure
 * math assumed: changing it here without the plan would move drives between sets.
 */
export function serverArgs(plan: MinioServerPlan): string[] {
  return [
    'server',
    ...plan.minio.pools.map((p) => p.serverArgument),
    '--address',
    `:${MINIO_API_PORT}`,
    '--console-address',
    `:${MINIO_CONSOLE_PORT}`,
    // The root file system is read-only; MinIO's certificate folder lives in the scratch volume.
    '--certs-dir',
    '/tmp/certs',
  ];
}

/** The environment of every server: credentials by reference, parity (and set size when the config fixes it) stated. */
export function serverEnv(settings: MinioServerSettings, plan: MinioServerPlan): k8s.EnvVar[] {
  const fromSecret = (name: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: MINIO_ROOT_SECRET, key } } });
  return [
    fromSecret('MINIO_ROOT_USER', MINIO_ROOT_KEYS.user),
    fromSecret('MINIO_ROOT_PASSWORD', MINIO_ROOT_KEYS.password),
    { name: 'MINIO_STORAGE_CLASS_STANDARD', value: `EC:${plan.minio.parity}` },
    ...(settings.setDriveCount ? [{ name: 'MINIO_ERASURE_SET_DRIVE_COUNT', value: String(settings.setDriveCount) }] : []),
    { name: 'HOME', value: '/tmp' },
  ];
}

const probe = (path: string, failureThreshold: number): k8s.Probe => ({
  httpGet: { path, port: k8s.IntOrString.fromNumber(MINIO_API_PORT), scheme: 'HTTP' },
  initialDelaySeconds: 10,
  periodSeconds: 10,
  timeoutSeconds: 5,
  failureThreshold,
});

/** The spec of one StatefulSet: the servers of one pool in one AZ, pinned to that AZ. */
/** `image`: the server image reference (PlatformImageRefs.minio). */
export function statefulSetSpec(settings: MinioServerSettings, plan: MinioServerPlan, set: MinioStatefulSetPlan, image: string): k8s.StatefulSetSpec {
  const labels = minioStatefulSetLabels(plan, set.pool, set.zoneIndex);
  const drives = Array.from({ length: set.drivesPerServer }, (_, i) => driveName(i));
  const r = settings.resources;
  return {
    serviceName: plan.minio.headlessServiceName,
    replicas: set.replicas,
    // Servers wait for each other to form the erasure sets, so they must start together.
    podManagementPolicy: 'Parallel',
    updateStrategy: { type: 'RollingUpdate' },
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        serviceAccountName: plan.minio.serviceName,
        automountServiceAccountToken: false,
        securityContext: restrictedPod(MINIO_UID),
        terminationGracePeriodSeconds: 60,
        affinity: {
          // The plan placed these servers' drives in this AZ; the erasure sets depend on it.
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [set.availabilityZone] }] }],
            },
          },
          // One server per node (the config checks each AZ has the nodes): a node failure
          // or drain then takes one server's drives, which is what the PDB math counts.
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: minioLabels(plan) }, topologyKey: 'kubernetes.io/hostname' }],
          },
        },
        containers: [
          {
            name: 'minio',
            image,
            command: ['minio'],
            args: serverArgs(plan),
            env: serverEnv(settings, plan),
            ports: [
              { name: 'api', containerPort: MINIO_API_PORT },
              { name: 'console', containerPort: MINIO_CONSOLE_PORT },
            ],
            livenessProbe: probe('/minio/health/live', 3),
            readinessProbe: probe('/minio/health/ready', 3),
            resources: {
              requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
              limits: {
                memory: k8s.Quantity.fromString(r.limits.memory),
                ...(r.limits.cpu ? { cpu: k8s.Quantity.fromString(r.limits.cpu) } : {}),
              },
            },
            securityContext: restrictedContainer(),
            volumeMounts: [...drives.map((d) => ({ name: d, mountPath: `/${d}` })), { name: 'tmp', mountPath: '/tmp' }],
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
      },
    },
    volumeClaimTemplates: drives.map((d) => ({
      metadata: {
        name: d,
        // Never restored from drive files (MinIO heals restored shards away, and several
        // volumes' snapshots are not consistent as a group): Velero skips these claims.
        labels: { ...labels, [VELERO_EXCLUDE_LABEL]: 'true' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: plan.minio.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(set.driveSize) } },
      },
    })),
  };
}
