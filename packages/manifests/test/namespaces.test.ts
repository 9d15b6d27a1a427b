import { planNames } from '@harbor-platform/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment } from './util.js';
import { NamespacesChart } from '../src/index.js';

describe('NamespacesChart', () => {
  const names = environment().plan.names;
  const levels = (fileSystemBackup: boolean) =>
    Object.fromEntries(
      new NamespacesChart(Testing.app(), 'namespaces', { plan: { names }, fileSystemBackup })
        .toJson()
        .map((n: any) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]),
    );

  it('creates the namespaces the workloads use, with Pod Security levels', () => {
    expect(levels(false)).toEqual({ minio: 'restricted', harbor: 'baseline', velero: 'restricted' });
  });

  it("runs Velero's namespace privileged when file-system backup (the node agent on hostPath) is on", () => {
    expect(levels(true)).toEqual({ minio: 'restricted', harbor: 'baseline', velero: 'privileged' });
  });

  it('names them as the plan does', () => {
    const renamed = environment('dev', (raw) => {
      raw.minio.namespace = 'objects';
      for (const s of raw.velero.schedules) s.includedNamespaces = s.includedNamespaces.map((n: string) => (n === 'minio' ? 'objects' : n));
    }).config;
    const objects = new NamespacesChart(Testing.app(), 'namespaces', { plan: { names: planNames(renamed) }, fileSystemBackup: false }).toJson();
    expect(objects.map((n: any) => n.metadata.name)).toEqual(['objects', 'harbor', 'velero']);
  });
});
