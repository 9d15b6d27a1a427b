import { describe, expect, it } from 'vitest';
import { loadWith } from './util.js';
import { formatProblem, planEnvironment, statefulSetChanges } from '../src/index.js';

function plan(mutate: (raw: any) => void = () => {}, name: 'dev' | 'prod' = 'dev') {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return planEnvironment(r.config, r.warnings);
}

/** The previous plan as plan.json holds it (a JSON round trip). */
const deployed = (p: ReturnType<typeof plan>) => JSON.parse(JSON.stringify(p));
const lines = (previous: object, next: ReturnType<typeof plan>) => statefulSetChanges(previous, next).map(formatProblem);

describe('changes a StatefulSet cannot take in place, against the previous plan.json', () => {
  const before = deployed(plan(() => {}, 'prod'));

  it('accepts the same plan, and anything without an earlier plan', () => {
    expect(lines(before, plan(() => {}, 'prod'))).toEqual([]);
    expect(lines({}, plan((e) => (e.minio.pools[0].driveSize = '1Ti'), 'prod'))).toEqual([]);
  });

  it('refuses a new drive size once per pool, naming the field and the runbook', () => {
    expect(lines(before, plan((e) => (e.minio.pools[0].driveSize = '1Ti'), 'prod'))).toEqual([
      'minio.pools[0].driveSize: changes from 500Gi to 1Ti, a volume claim template field Kubernetes does not update on a StatefulSet (minio-p0-z0): keep 500Gi until the claims are grown in place and the StatefulSets deleted without their pods, then raise minio.statefulSetRevision, following the runbook in README.md, "Changing MinIO drives and pools"',
    ]);
  });

  it('takes a new drive size once minio.statefulSetRevision is raised (the runbook done), and nothing else that way', () => {
    const grown = plan((e) => {
      e.minio.pools[0].driveSize = '1Ti';
      e.minio.statefulSetRevision = 1;
    }, 'prod');
    expect(lines(before, grown)).toEqual([]);
    // The next deploy compares with the raised revision: a second change needs a second raise.
    expect(lines(deployed(grown), plan((e) => {
      e.minio.pools[0].driveSize = '2Ti';
      e.minio.statefulSetRevision = 1;
    }, 'prod')).map((l) => l.slice(0, l.indexOf(':')))).toEqual(['minio.pools[0].driveSize']);
    // Servers and drives per server still need a new pool, raised revision or not.
    expect(lines(before, plan((e) => {
      e.minio.pools[0].drivesPerServer = 4;
      e.minio.statefulSetRevision = 1;
    }, 'prod')).map((l) => l.slice(0, l.indexOf(':')))).toEqual(['minio.pools[0].drivesPerServer']);
  });

  it('refuses a new storage class, drives per server or servers of an existing pool', () => {
    expect(lines(before, plan((e) => {
      e.minio.storageClass = 'io2-zonal';
      e.minio.pools[0].drivesPerServer = 4;
      e.minio.pools[0].serversPerAz = 3;
      e.cluster.nodeGroups.minPerAz = 3;
      e.cluster.nodeGroups.desiredPerAz = 3;
    }, 'prod')).map((l) => l.slice(0, l.indexOf(':')))).toEqual(['minio.storageClass', 'minio.pools[0].drivesPerServer', 'minio.pools[0].serversPerAz']);
  });

  it('accepts a new pool beside the old one (how MinIO grows), and refuses dropping a pool', () => {
    const two = plan((e) => {
      e.minio.pools.push({ serversPerAz: 2, drivesPerServer: 2, driveSize: '1Ti' });
      e.cluster.nodeGroups.minPerAz = 4;
      e.cluster.nodeGroups.desiredPerAz = 4;
    }, 'prod');
    expect(lines(before, two)).toEqual([]);
    expect(lines(deployed(two), plan(() => {}, 'prod'))).toEqual([
      'minio.pools[1]: is gone, and its StatefulSets with it (minio-p1-z0 first), which deletes the pool\'s objects: put the pool back and decommission it with `mc admin decommission start` before removing it, following the runbook in README.md, "Changing MinIO drives and pools"',
    ]);
  });

  it('reads a plan.json from before the storage class was recorded', () => {
    const old = deployed(plan(() => {}, 'prod'));
    delete old.minio.storageClass;
    expect(lines(old, plan((e) => (e.minio.storageClass = 'io2-zonal'), 'prod'))).toEqual([]);
  });
});
