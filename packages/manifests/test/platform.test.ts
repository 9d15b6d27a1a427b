import { describe, expect, it } from 'vitest';
import { environment, ofKind, synth } from './util.js';
import { buildManifests, chartsInOrder } from '../src/index.js';

describe('buildManifests', () => {
  it('orders charts so that each comes after what it needs', () => {
    const { charts } = buildManifests(environment());
    const order = chartsInOrder(charts);
    for (const [i, chart] of order.entries()) {
      for (const dep of chart.node.dependencies) expect(order.indexOf(dep as any), `${chart.node.id} after ${dep.node.id}`).toBeLessThan(i);
    }
    expect(charts.minio.node.dependencies).toEqual(expect.arrayContaining([charts.namespaces, charts.storage, charts.secretStore]));
    expect(charts.minioProvisioning.node.dependencies).toContain(charts.minio);
  });

  it('creates the namespaces the workloads use, with Pod Security levels', () => {
    const { objects } = synth(environment());
    const ns = Object.fromEntries(ofKind(objects, 'Namespace').map((n) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]));
    expect(ns).toEqual({ minio: 'restricted', harbor: 'baseline', velero: 'restricted' });
    const used = new Set(objects.map((o) => o.metadata.namespace).filter(Boolean));
    for (const n of used) expect(Object.keys(ns)).toContain(n);
  });

  it('lets the secret store serve only the platform namespaces and their drill copies', () => {
    const [store] = ofKind(synth(environment()).objects, 'ClusterSecretStore');
    expect(store.spec.conditions).toEqual([{ namespaces: ['harbor', 'minio', 'harbor-drill', 'minio-drill'] }]);
    expect(store.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'ap-northeast-2' } });
  });

  it('runs the registry-data backup on the configured schedule with its own service account', () => {
    const c = environment('prod');
    const [cron] = ofKind(synth(c).objects, 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: c.registryBackup.cron, timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('registry-backup');
    // The ops image the platform builds: its repository, with the digest parameter standing in offline (images.test.ts).
    expect(pod.containers[0].image).toBe('222222222222.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-prod/ops@<deploy-time: SSM /harbor-platform/prod/images/ops/digest>');
    expect(pod.containers[0].args).toEqual([
      'registry-backup',
      '--registry', 'http://harbor-registry.harbor.svc.cluster.local:5000',
      '--source', 's3://harbor-registry',
      '--target', `s3://${c.registryBackup.bucket}/registry-data`,
      '--prune', '--keep', String(c.registryBackup.retention),
    ]);
    expect(c.registryBackup.retention).toBe(30);
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(c.registryBackup.maxDurationMinutes * 60);
  });
});
