import { App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, ofKind, synth } from './util.js';
import { StorageChart } from '../src/index.js';

describe('StorageChart', () => {
  it('creates encrypted, expandable gp3 classes bound on first consumer, through the EBS CSI driver', () => {
    const classes = ofKind(synth(environment()).objects, 'StorageClass');
    expect(classes.map((c) => c.metadata.name)).toEqual(['gp3', 'gp3-retain', 'gp3-zonal']);
    for (const c of classes) {
      expect(c).toMatchObject({ provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
      expect(c.parameters).toMatchObject({ type: 'gp3', encrypted: 'true' });
    }
  });

  it('retains MinIO and database volumes, deletes the rest with their claims', () => {
    const policy = Object.fromEntries(ofKind(synth(environment()).objects, 'StorageClass').map((c) => [c.metadata.name, c.reclaimPolicy]));
    expect(policy).toEqual({ 'gp3': 'Delete', 'gp3-retain': 'Retain', 'gp3-zonal': 'Retain' });
  });

  it('marks exactly the configured class as the default', () => {
    const defaults = (name: string) =>
      ofKind(synth(environment('dev', (raw) => (raw.cluster.defaultStorageClass = name))).objects, 'StorageClass')
        .filter((c) => c.metadata.annotations['storageclass.kubernetes.io/is-default-class'] === 'true')
        .map((c) => c.metadata.name);
    expect(defaults('gp3')).toEqual(['gp3']);
    expect(defaults('gp3-zonal')).toEqual(['gp3-zonal']);
  });

  it('refuses a default class it does not create, naming the field', () => {
    const c = { ...environment(), cluster: { ...environment().cluster, defaultStorageClass: 'standard' } };
    expect(() => new StorageChart(Testing.app() as App, 'storage', { config: c })).toThrow(/cluster\.defaultStorageClass: "standard" is not one of gp3, gp3-retain, gp3-zonal/);
  });
});
