import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { ManifestError } from '../errors.js';

export interface StorageChartProps {
  /**
   * The classes by role: `harbor.storage.storageClass` (general, deleted with its claim),
   * `harbor.storage.databaseStorageClass` and `minio.storageClass` (both retained).
   */
  readonly classes: { readonly general: string; readonly database: string; readonly minio: string };
  /** `cluster.defaultStorageClass`: one of `classes`. */
  readonly defaultStorageClass: string;
}

/** The EBS CSI driver of managed node groups; Velero's AWS plugin snapshots only its volumes (not EKS Auto Mode's). */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/**
 * gp3 StorageClasses. All are zonal by nature (an EBS volume lives in one AZ), so
 * all bind only when the pod is scheduled (`WaitForFirstConsumer`): the volume is
 * created in the pod's AZ, not in a random one the pod then cannot reach. All are
 * encrypted and expandable. MinIO drives and the Harbor database keep their volume
 * when the claim is deleted (`Retain`): deleting a StatefulSet or a namespace by
 * mistake must not delete data.
 */
export class StorageChart extends Chart {
  /** Class names by role. */
  readonly classes: { general: string; database: string; minio: string };

  constructor(scope: Construct, id: string, props: StorageChartProps) {
    super(scope, id);
    const { general, database, minio } = props.classes;
    if (![general, database, minio].includes(props.defaultStorageClass)) {
      throw new ManifestError(`cluster.defaultStorageClass: "${props.defaultStorageClass}" is not one of ${general}, ${database}, ${minio}: use one of them`);
    }
    this.classes = { general, database, minio };
    const classes: [string, 'Delete' | 'Retain'][] = [
      [general, 'Delete'],
      [database, 'Retain'],
      [minio, 'Retain'],
    ];
    for (const [name, reclaimPolicy] of classes) {
      new k8s.KubeStorageClass(this, name, {
        metadata: {
          name,
          annotations: { [DEFAULT_CLASS_ANNOTATION]: String(name === props.defaultStorageClass) },
        },
        provisioner: EBS_CSI_PROVISIONER,
        parameters: { 'type': 'gp3', 'encrypted': 'true', 'csi.storage.k8s.io/fstype': 'xfs' },
        reclaimPolicy,
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      });
    }
  }
}
