import { buildManifests } from '@harbor-platform/manifests';
import { expect } from 'vitest';
import { environmentBackup, FakeCluster } from './fake-cluster.js';
import { COPY_IMAGES, FakeMinioProbe } from './fake-minio-probe.js';
import { FakeClock, fixture, loadConfig, loadPlan } from './fakes.js';
import type { DrillAccess } from '../../src/drill/run.js';
import type { NamespacedObject } from '../../src/kube/api.js';
import type { DrillDataPath, VerifyOutcome } from '../../src/steps/data-path.js';
import type { RenderedObject } from '../../src/steps/rendered-object.js';
import type { VeleroBackup } from '../../src/velero/types.js';

/** The drill of prod against a FakeCluster that restores prod's objects and brings them up on a fake clock. */
export const plan = loadPlan('prod');
// The objects the platform deploys: the drill derives its isolation patches from them.
export const manifests = buildManifests(loadConfig('prod'), { plan }).app.charts.flatMap((c) => c.toJson() as RenderedObject[]);
export const backups = fixture<VeleroBackup[]>('velero', 'backups.json');
const states = fixture<Record<string, { status: object }>>('velero', 'restore-states.json');
const COPY = { inventory: 'inventories/20261125T013000Z.json', takenAt: new Date('2026-11-25T01:30:00Z') };
export const GOOD: VerifyOutcome = { ok: true, summary: 'all 12 manifests and 48 blobs match', problems: [], artifactsChecked: 12, bytesHashed: 73_400_320 };

export function setup(script: string[], verify: VerifyOutcome = GOOD) {
  const clock = new FakeClock();
  const kube = new FakeCluster(clock);
  for (const b of backups) kube.custom.set(`backups/velero/${b.metadata.name}`, b);
  kube.restoreScript = script.map((s) => states[s]!);
  const backup = environmentBackup(plan, manifests);
  kube.backup = backup.objects;
  kube.backupSecrets = backup.secrets;
  const log: string[] = [];
  const opened: { closed: boolean }[] = [];
  const data: DrillDataPath & { filled: number; verified: number; filledAt?: number } = {
    filled: 0,
    verified: 0,
    latestCopy: async () => COPY,
    async restoreCopy() {
      this.filled++;
      this.filledAt = clock.now();
      clock.t += 4 * 60_000; // filling takes four minutes
      return { objects: 61, bytes: 73_400_320, missing: [] as string[], failed: [] as { key: string; reason: string }[] };
    },
    async verify() {
      this.verified++;
      clock.t += 2 * 60_000;
      return verify;
    },
    sampleImages: async (_copy, count) => COPY_IMAGES.slice(0, count),
  };
  const probe = new FakeMinioProbe(kube, clock);
  const access: DrillAccess = {
    harborUrl: 'http://127.0.0.1:18080',
    async open() {
      const o = { closed: false };
      opened.push(o);
      return {
        s3: { endpoint: 'http://127.0.0.1:1', region: 'ap-northeast-2', bucket: 'harbor-registry', accessKeyId: 'drill', secretAccessKey: 'from-the-restored-secret' },
        registry: { url: 'http://127.0.0.1:18080' },
        close: async () => void (o.closed = true),
      };
    },
  };
  // The restored database volume of the drill's Harbor, and a live one that must survive.
  kube.volumes.push({ name: 'pvc-drill-db', claimNamespace: 'harbor-drill', reclaimPolicy: 'Retain' }, { name: 'pvc-live-db', claimNamespace: 'harbor', reclaimPolicy: 'Retain' });
  // What the drill itself creates in the cluster (the provisioning ConfigMap and Job), and when.
  const created: { at: number; body: NamespacedObject }[] = [];
  const createObject = kube.createObject.bind(kube);
  kube.createObject = async (body) => {
    created.push({ at: clock.now(), body: structuredClone(body) });
    await createObject(body);
  };
  const deps = { plan, veleroNamespace: 'velero', kube, data, access, manifests, clock, progress: (l: string) => log.push(l), pollMs: 10_000, zoneProbe: () => probe };
  return { kube, clock, data, log, opened, created, deps, probe };
}

export function expectCleanedUp(kube: FakeCluster) {
  expect(kube.namespaces.has('harbor-drill')).toBe(false);
  expect(kube.namespaces.has('minio-drill')).toBe(false);
  expect(kube.calls).toContain('delete namespace harbor-drill');
  expect(kube.calls).toContain('delete namespace minio-drill');
  expect(kube.calls).toContain('reclaim-delete pv pvc-drill-db');
  expect(kube.calls).not.toContain('reclaim-delete pv pvc-live-db');
  expect(kube.calls.filter((c) => c.startsWith('delete pv')).every((c) => c === 'delete pv pvc-drill-db')).toBe(true);
  expect(kube.volumes.find((v) => v.name === 'pvc-live-db')!.deleted).toBeUndefined();
  expect(kube.configMaps.size).toBe(0);
  // Nothing the restore or the drill created in the drill namespaces is left: workloads, the provisioning Job, Secrets.
  expect([...kube.objects.values()].filter((o) => ['harbor-drill', 'minio-drill'].includes(o.metadata.namespace))).toEqual([]);
  expect(Object.keys(kube.secrets).filter((k) => /^(harbor|minio)-drill\//.test(k))).toEqual([]);
}

