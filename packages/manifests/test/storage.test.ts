import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, ofKind, synth } from './util.js';
import { StorageChart, type StorageChartProps } from '../src/index.js';

const CLASSES: StorageChartProps['classes'] = { general: 'gp3', database: 'gp3-retain', minio: 'gp3-zonal' };
const storage = (defaultStorageClass = 'gp3') => new StorageChart(Testing.app(), 'storage', { classes: CLASSES, defaultStorageClass }).toJson();

describe('StorageChart', () => {
  it("creates the config's encrypted, expandable gp3 classes bound on first consumer, through the EBS CSI driver", () => {
    // Through buildManifests: the classes the config names (harbor.storage, minio.storageClass).
    const classes = ofKind(synth(environment()).objects, 'StorageClass');
    expect(classes.map((c) => c.metadata.name)).toEqual(['gp3', 'gp3-retain', 'gp3-zonal']);
    for (const c of classes) {
      expect(c).toMatchObject({ provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
      expect(c.parameters).toMatchObject({ type: 'gp3', encrypted: 'true' });
    }
  });

  it('retains MinIO and database volumes, deletes the rest with their claims', () => {
    const policy = Object.fromEntries(storage().map((c) => [c.metadata.name, c.reclaimPolicy]));
    expect(policy).toEqual({ 'gp3': 'Delete', 'gp3-retain': 'Retain', 'gp3-zonal': 'Retain' });
  });

  it('marks exactly the configured class as the default', () => {
    const defaults = (name: string) =>
      storage(name)
        .filter((c) => c.metadata.annotations['storageclass.kubernetes.io/is-default-class'] === 'true')
        .map((c) => c.metadata.name);
    expect(defaults('gp3')).toEqual(['gp3']);
    expect(defaults('gp3-zonal')).toEqual(['gp3-zonal']);
    // The config's cluster.defaultStorageClass is what buildManifests passes.
    const configured = ofKind(synth(environment('dev', (raw) => (raw.cluster.defaultStorageClass = 'gp3-zonal'))).objects, 'StorageClass');
    expect(configured.filter((c) => c.metadata.annotations['storageclass.kubernetes.io/is-default-class'] === 'true').map((c) => c.metadata.name)).toEqual(['gp3-zonal']);
  });

  it('refuses a default class it does not create, naming the field', () => {
    expect(() => storage('standard')).toThrow(/cluster\.defaultStorageClass: "standard" is not one of gp3, gp3-retain, gp3-zonal/);
  });
});
