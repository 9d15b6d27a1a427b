import { veleroChart } from './charts.js';
import { veleroImageRepositories } from './image-caches.js';
import { SERVICE_ACCOUNTS } from './names.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * Values of the Velero chart (vmware-tanzu/helm-charts `velero`) derived from one
 * environment. The chart only runs the server: the BackupStorageLocation,
 * VolumeSnapshotLocation and Schedules are typed cdk8s objects in
 * packages/manifests (validated against the Velero CRDs), so the chart's own
 * copies of them are switched off here.
 */

/**
 * The user and group the Velero image runs as, by number. Its Dockerfile says `USER cnb:cnb`,
 * a name: under `runAsNonRoot` the kubelet cannot verify a name and refuses to start the
 * container ("image has non-numeric user (cnb)", velero-io/velero#9985), which would hold
 * the chart's pre-install hook until Helm times out. The image is built on Paketo's
 * run-jammy-tiny, whose stack.toml and passwd define cnb as uid 1002, group cnb gid 1000;
 * running as that uid keeps HOME at /home/cnb, which the image lets cnb write to.
 * @see https://github.com/paketo-buildpacks/jammy-tiny-stack/blob/main/stack/stack.toml
 */
export const VELERO_USER = { uid: 1002, gid: 1000 } as const;

/** Names of the locations the manifests create and the server defaults to. */
export const VELERO_LOCATIONS = { backupStorage: 'default', volumeSnapshot: 'aws-ebs' } as const;
/** Key prefix of Velero's objects in `velero.backupBucket` (the registry-data copy has its own, `registryBackup.prefix`). */
export const VELERO_BACKUP_PREFIX = 'velero';

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** Values as a plain object. */
export type VeleroValues = Record<string, unknown>;

function tag(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}

export function veleroValues(config: EnvironmentConfig): VeleroValues {
  veleroChart(config);
  const v = config.velero;
  // Through the environment's pull-through caches (image-caches.ts). The server tag follows
  // `velero.version`, the AWS plugin `velero.awsPluginVersion`: tags only, no digest could be read here.
  const images = veleroImageRepositories(config);
  return {
    image: { repository: images.server, tag: tag(v.version) },
    // The AWS plugin copies itself into the shared plugins volume at start.
    initContainers: [
      {
        name: 'velero-plugin-for-aws',
        image: `${images.awsPlugin}:${v.awsPluginVersion}`,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
      },
    ],
    // The chart gives this pod security context to the server and to the CRD-upgrade hook Job.
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: VELERO_USER.uid,
      runAsGroup: VELERO_USER.gid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // Not read-only: a restore downloads the backup tarball to a temporary file.
    containerSecurityContext: RESTRICTED_CONTAINER,
    resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    upgradeCRDs: true,
    // EKS Pod Identity: the CDK app creates the service account and its association;
    // the AWS SDK in the plugin finds the credentials through the Pod Identity agent.
    serviceAccount: { server: { create: false, name: SERVICE_ACCOUNTS.velero } },
    credentials: { useSecret: false },
    // Locations come from packages/manifests (typed, CRD-validated), not from the chart.
    backupsEnabled: false,
    snapshotsEnabled: false,
    configuration: {
      defaultBackupStorageLocation: VELERO_LOCATIONS.backupStorage,
      defaultVolumeSnapshotLocations: `aws:${VELERO_LOCATIONS.volumeSnapshot}`,
      ...(v.fileSystemBackup ? { uploaderType: 'kopia' } : {}),
    },
    deployNodeAgent: v.fileSystemBackup,
    schedules: {},
  };
}
