import { describe, expect, it } from 'vitest';
import { environment, named, ofKind, synth } from './util.js';
import { buildManifests, chartsInOrder } from '../src/index.js';

describe('buildManifests', () => {
  it('orders charts so that each comes after what it needs', () => {
    const { config, plan } = environment();
    const { charts } = buildManifests(config, { plan });
    const order = chartsInOrder(charts);
    for (const [i, chart] of order.entries()) {
      for (const dep of chart.node.dependencies) expect(order.indexOf(dep as any), `${chart.node.id} after ${dep.node.id}`).toBeLessThan(i);
    }
    expect(charts.minio.node.dependencies).toEqual(expect.arrayContaining([charts.namespaces, charts.storage, charts.secretStore]));
    expect(charts.minioProvisioning.node.dependencies).toContain(charts.minio);
  });

  it('puts every object in a namespace NamespacesChart creates', () => {
    const { objects } = synth(environment());
    const ns = ofKind(objects, 'Namespace').map((n) => n.metadata.name);
    expect(ns).toEqual(['minio', 'harbor', 'velero']);
    const used = new Set(objects.map((o) => o.metadata.namespace).filter(Boolean));
    for (const n of used) expect(ns).toContain(n);
  });

  it("passes the registry-data backup the config's time bound and the plan's ops image", () => {
    const { config: c, objects } = synth(environment('prod'));
    const cron = named(objects, 'CronJob', 'registry-backup');
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(c.registryBackup.maxDurationMinutes * 60);
    // The ops image the platform builds: its repository, with the digest parameter standing in offline (images.test.ts).
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('222222222222.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-prod/ops@<deploy-time: SSM /harbor-platform/prod/images/ops/digest>');
  });
});
