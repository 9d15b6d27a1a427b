import { VELERO_BACKUP_PREFIX, VELERO_LOCATIONS, type EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { BackupStorageLocation, BackupStorageLocationSpecAccessMode, Schedule, VolumeSnapshotLocation } from '../imports/velero.io.js';

export interface VeleroChartProps {
  /** `aws.region`, Velero's namespace (`names.namespaces.velero`), the bucket and schedules (`backups.velero`). */
  readonly plan: Pick<EnvironmentPlan, 'aws' | 'names' | 'backups'>;
}

/**
 * Velero's locations and schedules as typed objects (generated from the Velero
 * 1.18.1 CRDs, see imports/README.md): the backup bucket from the plan, EBS
 * snapshots through the AWS plugin, and one Schedule per configured schedule.
 *
 * What gets snapshotted: every volume of the included namespaces except MinIO's
 * drives, whose claims carry `velero.io/exclude-from-backup` (set in the MinIO
 * StatefulSets), so they are neither snapshotted nor restored: a restore starts
 * an empty MinIO that the registry-data copy fills. Harbor's database is
 * checkpointed first by the hook its pod annotations carry (see the Harbor values).
 * Needs the Velero release (its CRDs and namespace).
 */
export class VeleroChart extends Chart {
  constructor(scope: Construct, id: string, props: VeleroChartProps) {
    super(scope, id, { namespace: props.plan.names.namespaces.velero });
    const plan = props.plan;
    const region = plan.aws.region;

    new BackupStorageLocation(this, 'BackupStorageLocation', {
      metadata: { name: VELERO_LOCATIONS.backupStorage },
      spec: {
        provider: 'aws',
        default: true,
        objectStorage: { bucket: plan.backups.velero.bucket, prefix: VELERO_BACKUP_PREFIX },
        config: { region },
        accessMode: BackupStorageLocationSpecAccessMode.READ_WRITE,
      },
    });

    new VolumeSnapshotLocation(this, 'VolumeSnapshotLocation', {
      metadata: { name: VELERO_LOCATIONS.volumeSnapshot },
      spec: { provider: 'aws', config: { region } },
    });

    for (const s of plan.backups.velero.schedules) {
      new Schedule(this, `Schedule-${s.name}`, {
        metadata: { name: s.name },
        spec: {
          schedule: s.cron,
          // Backups outlive a deleted Schedule: they expire by their own TTL.
          useOwnerReferencesInBackup: false,
          template: {
            ttl: s.ttl,
            includedNamespaces: s.includedNamespaces,
            snapshotVolumes: s.snapshotVolumes,
            storageLocation: VELERO_LOCATIONS.backupStorage,
            volumeSnapshotLocations: [VELERO_LOCATIONS.volumeSnapshot],
            defaultVolumesToFsBackup: false,
          },
        },
      });
    }
  }
}
