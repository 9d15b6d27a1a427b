import { HARBOR_RELEASE } from '@harbor-platform/config';
import { MINIO_ROOT_KEYS, MINIO_ROOT_SECRET } from '@harbor-platform/manifests';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/command.js';
import { main } from '../src/cli.js';
import { manifests } from './support/drill-setup.js';
import { environmentBackup, FakeCluster } from './support/fake-cluster.js';
import { FakeClock, fixture, loadPlan } from './support/fakes.js';
import { parseNamespaces } from '../src/commands/restore.js';
import { inventoryTime } from '../src/restore/adapters.js';
import { restoreMarkdown } from '../src/restore/report.js';
import { runRestore, type RestoreDataPath } from '../src/restore/run.js';
import type { VeleroBackup, VeleroRestore } from '../src/velero/types.js';

const plan = loadPlan('prod');
const backups = fixture<VeleroBackup[]>('velero', 'backups.json');
const states = fixture<Record<string, { status: object }>>('velero', 'restore-states.json');
const COPY = { inventory: '2026-11-24T01-30-00.000Z.json', takenAt: new Date('2026-11-24T01:30:00Z') };

function setup(opts: { safety?: string[]; restore?: string[] } = {}) {
  const clock = new FakeClock();
  const kube = new FakeCluster(clock);
  // The backup holds Harbor's and MinIO's objects, the provisioning Job among them (a restore does not exclude Jobs).
  const backup = environmentBackup(plan, manifests);
  kube.backup = backup.objects;
  kube.backupSecrets = backup.secrets;
  for (const b of backups) kube.custom.set(`backups/velero/${b.metadata.name}`, b);
  kube.namespaces.add('harbor').add('minio');
  kube.backupScript = (opts.safety ?? ['InProgress', 'Completed']).map((p) => ({ status: { phase: p } }));
  kube.restoreScript = (opts.restore ?? ['InProgress', 'Completed']).map((p) => states[p]!);
  const steps: string[] = [];
  const at: Record<string, number> = {};
  const data: RestoreDataPath = {
    latestCopy: async () => COPY,
    copyAt: async (t) => (steps.push(`copyAt ${t.toISOString()}`), COPY),
    safetyBackup: async () => (steps.push('registry safety backup'), { inventory: '2026-11-25T18-00-10.000Z.json' }),
    restoreCopy: async () => (steps.push('fill'), (at.fill = clock.now()), { objects: 10, bytes: 100, missing: [], failed: [] }),
    verify: async () => (steps.push('verify'), { ok: true, summary: 'verified', problems: [], artifactsChecked: 3, bytesHashed: 100 }),
  };
  const opened: { closed: boolean }[] = [];
  const access = {
    open: async () => {
      const o = { closed: false };
      opened.push(o);
      return { s3: { endpoint: 'http://127.0.0.1:1', region: 'r', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' }, registry: { url: 'https://harbor.example.com' }, close: async () => void (o.closed = true) };
    },
  };
  const log: string[] = [];
  return { kube, steps, at, opened, log, deps: { plan, veleroNamespace: 'velero', kube, data, access, manifests, clock, progress: (l: string) => log.push(l), pollMs: 10_000 } };
}

describe('runRestore', () => {
  it('refuses to start when the AWS credentials would expire before its deadline (fake clock): nothing is changed', async () => {
    const { kube, steps, deps } = setup();
    // The prod restore may run plan.drill.timeoutMinutes x 2 = 180 minutes; a one-hour session does not cover it.
    const oneHour = { expiration: new Date(deps.clock.now() + 60 * 60_000) };
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, { ...deps, credentials: async () => oneHour });
    expect(r).toMatchObject({ ok: false, failedStep: 'check' });
    expect(r.reason).toBe("the AWS credentials expire at 2026-11-25T19:00:00.000Z, before the restore's deadline 2026-11-25T21:00:00.000Z, and a restore must never stop half-way; nothing was changed: assume the role for longer (role-duration-seconds up to the role's maximum session)");
    expect(kube.calls).toEqual([]);
    expect(steps).toEqual(['copyAt 2026-11-24T03:04:40.000Z']);
  });

  it('runs to the end with credentials as long as the restore job (the role-duration-seconds the workflow requests)', async () => {
    const { deps } = setup();
    const jobSession = { expiration: new Date(deps.clock.now() + 240 * 60_000) };
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, { ...deps, credentials: async () => jobSession });
    expect(r.ok).toBe(true);
    // The clock moved past the first hour while the restore waited on Velero, and nothing stopped it.
    expect(deps.clock.now()).toBeGreaterThan(Date.parse('2026-11-25T18:00:00Z'));
    expect(await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor'] }, { ...setup().deps, credentials: async () => ({}) })).toMatchObject({ ok: true });
  });

  it('reports the registry-data RPO it got: from the copy to the backup', async () => {
    const { deps } = setup();
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, deps);
    // Copy 01:30, backup completed 03:04:40.
    expect(r.registryDataRpoMs).toBe((94 * 60 + 40) * 1000);
    expect(restoreMarkdown(r)).toContain('| registry-data RPO (copy to backup) | 94.7 min |');
  });

  it('takes the safety backup of both layers before deleting anything, then restores, fills and verifies', async () => {
    const { kube, steps, deps } = setup();
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, deps);
    expect(r.ok).toBe(true);
    // The copy that belongs to the backup: taken at or before its completion.
    expect(steps).toEqual(['copyAt 2026-11-24T03:04:40.000Z', 'registry safety backup', 'fill', 'verify']);
    const order = kube.calls.filter((c) => /^(create|delete namespace)/.test(c));
    expect(order[0]).toMatch(/^create backups\/safety-prod-/);
    expect(order.slice(1, 3)).toEqual(['delete namespace harbor', 'delete namespace minio']);
    expect(order[3]).toMatch(/^create restores\/restore-prod-/);
    const restore = [...kube.custom.values()].find((o) => (o as VeleroRestore).kind === 'Restore') as VeleroRestore;
    expect(restore.spec).toMatchObject({ backupName: 'harbor-daily-20261124030012', includedNamespaces: ['harbor', 'minio'], restorePVs: true });
    expect(restore.spec.namespaceMapping).toBeUndefined();
    expect(r.safetyBackup?.registryInventory).toBe('2026-11-25T18-00-10.000Z.json');
  });

  it('fails fill-minio naming the blobs missing from the copy (the drill\'s own fillAndVerify), keeps what it copied and does not verify', async () => {
    const { steps, opened, deps } = setup();
    const data = { ...deps.data, restoreCopy: async () => (steps.push('fill'), { objects: 9, bytes: 90, missing: ['sha256:' + 'a'.repeat(64)], failed: [] }) };
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, { ...deps, data });
    expect(r).toMatchObject({ ok: false, failedStep: 'fill-minio', filled: { objects: 9, bytes: 90 } });
    expect(r.reason).toBe(`the registry-data copy could not be restored: missing from the copy: blob sha256:${'a'.repeat(64)}`);
    expect(steps.slice(-1)).toEqual(['fill']);
    expect(opened.every((o) => o.closed)).toBe(true);
    // Every step it entered, in order, up to the one that failed.
    expect(r.timings?.map((t) => t.step)).toEqual(['check', 'safety-backup', 'delete-namespaces', 'restore', 'wait-ready', 'provision-minio', 'fill-minio']);
  });

  it('a safety backup that does not complete stops the restore before any namespace is deleted', async () => {
    const { kube, steps, deps } = setup({ safety: ['InProgress', 'PartiallyFailed'] });
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'safety-backup' });
    expect(r.reason).toMatch(/ended PartiallyFailed; nothing was changed/);
    expect(kube.calls.some((c) => c.startsWith('delete namespace'))).toBe(false);
    expect(steps).not.toContain('registry safety backup');
  });

  it.each([
    ['harbor-daily-20261125030009', /is PartiallyFailed, not Completed/],
    ['harbor-daily-20261125170000', /is InProgress, not Completed/],
    ['no-such-backup', /no Velero backup "no-such-backup"/],
  ])('refuses backup %s before touching anything', async (name, reason) => {
    const { kube, deps } = setup();
    const r = await runRestore({ backupName: name, namespaces: ['harbor'] }, deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'check' });
    expect(r.reason).toMatch(reason);
    expect(kube.calls).toEqual([]);
  });

  it('refuses namespaces the backup does not hold', async () => {
    const { deps } = setup();
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'velero'] }, deps);
    expect(r.reason).toMatch(/does not include velero/);
  });

  it('a Failed Velero restore is reported with the step; the registry is not touched', async () => {
    const { steps, deps } = setup({ restore: ['Failed'] });
    const r = await runRestore({ backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] }, deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'restore' });
    expect(steps).not.toContain('fill');
    expect(restoreMarkdown(r)).toMatch(/FAILED at restore/);
  });
});

describe('runRestore as the restored objects come up', () => {
  const request = { backupName: 'harbor-daily-20261124030012', namespaces: ['harbor', 'minio'] };
  const provisioning = (kube: FakeCluster) => [...kube.objects.values()].find((o) => o.kind === 'Job' && o.metadata.namespace === 'minio')!;

  it("fills only after every restored workload is ready and a run of the deployed provisioning Job's script has succeeded", async () => {
    const { kube, steps, at, log, opened, deps } = setup();
    kube.readiness = (o) => ({ readyAfterMs: o.kind === 'StatefulSet' ? 5 * 60_000 : 2 * 60_000 });
    kube.jobBehaviour = () => ({ succeedAfterMs: 6 * 60_000 });
    const r = await runRestore(request, deps);
    expect(r.ok, r.reason).toBe(true);
    // Velero skipped the deployed Job (it had completed); the restore ran its own, created once everything was ready.
    const jobs = [...kube.objects.values()].filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => j.metadata.name)).toEqual([expect.stringMatching(/^minio-provisioning-[0-9a-f]{10}-restore$/)]);
    const job = provisioning(kube);
    expect(job.createdAt).toBe(kube.objects.get(`StatefulSet/minio/${plan.minio.statefulSets[0]!.name}`)!.createdAt + 5 * 60_000);
    expect(at.fill).toBe(job.createdAt + 6 * 60_000);
    expect(log.some((l) => /^waiting for \d+ of \d+ workloads after \d+s: .*statefulset minio\/\S+: 0\/\d+ ready/.test(l))).toBe(true);
    expect(log.some((l) => /^waiting for job minio\/minio-provisioning-\S+ \(1 active, 0 failed pod\(s\)\)/.test(l))).toBe(true);
    expect(steps.slice(-2)).toEqual(['fill', 'verify']);
    expect(opened.every((o) => o.closed)).toBe(true);
  });

  it('a provisioning Job that fails aborts before the fill, naming the Job and the reason', async () => {
    const { kube, steps, opened, deps } = setup();
    kube.jobBehaviour = () => ({ failAfterMs: 15 * 60_000, reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    const r = await runRestore(request, deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'provision-minio' });
    expect(r.reason).toBe(
      `provisioning job minio/${provisioning(kube).metadata.name} failed: DeadlineExceeded: Job was active longer than specified deadline; the registry data was not restored: fix it, then fill with registry-restore and check with verify`,
    );
    expect(steps).not.toContain('fill');
    // Only the safety backup's forward was opened, and it is closed.
    expect(opened).toEqual([{ closed: true }]);
  });

  it('a pod that never gets ready: gives up at the deadline naming it, never fills', async () => {
    const { kube, steps, deps } = setup();
    kube.readiness = (o) => (o.metadata.name === `${HARBOR_RELEASE}-registry` ? 'never' : { readyAfterMs: 60_000 });
    const start = deps.clock.now();
    const r = await runRestore(request, deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'wait-ready' });
    expect(r.reason).toBe(`not ready at the restore's deadline: deployment harbor/${HARBOR_RELEASE}-registry: 0/1 ready`);
    expect(steps).not.toContain('fill');
    expect(deps.clock.now() - start).toBe(plan.drill.timeoutMinutes * 2 * 60_000);
  });

  it('manifests without the provisioning Job: refuses before changing anything (the restored MinIO would have no bucket or user)', async () => {
    const { kube, steps, deps } = setup();
    const r = await runRestore(request, { ...deps, manifests: manifests.filter((o) => o.kind !== 'Job') });
    expect(r).toMatchObject({ ok: false, failedStep: 'check' });
    expect(r.reason).toBe('expected one provisioning Job in the manifests of namespace minio, found 0; nothing was changed');
    expect(kube.calls).toEqual([]);
    expect(steps).not.toContain('fill');
  });

  it('root credentials that were not restored: names the Secret and key, creates no Job', async () => {
    const { kube, steps, deps } = setup();
    delete kube.backupSecrets[`minio/${MINIO_ROOT_SECRET}`];
    const r = await runRestore(request, deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'provision-minio' });
    expect(r.reason).toMatch(new RegExp(`^secret minio/${MINIO_ROOT_SECRET} was not restored with key ${MINIO_ROOT_KEYS.user}, which the provisioning Job reads`));
    expect(kube.calls.some((c) => c.startsWith('create Job'))).toBe(false);
    expect(steps).not.toContain('fill');
  });

  it('restoring Harbor alone waits for its workloads and no provisioning Job', async () => {
    const { kube, deps } = setup();
    kube.jobBehaviour = () => ({ failAfterMs: 1, reason: 'BackoffLimitExceeded', message: 'never consulted' });
    const r = await runRestore({ ...request, namespaces: ['harbor'] }, deps);
    expect(r.ok, r.reason).toBe(true);
    expect([...kube.objects.values()].some((o) => o.metadata.namespace === 'minio')).toBe(false);
  });
});

describe('restore command', () => {
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) } };
  };

  it('refuses, with exit 2 and before any cluster access, when the confirmation is not the environment', async () => {
    const b = io();
    expect(await main(['restore', '--env', 'prod', '--backup', 'x', '--namespaces', 'harbor', '--confirm', 'dev'], b.io)).toBe(2);
    expect(b.lines.join('\n')).toMatch(/refusing to restore: --confirm "dev" does not equal the environment "prod"/);
  });

  it('names a missing option', async () => {
    const b = io();
    expect(await main(['restore', '--env', 'prod', '--backup', 'x', '--confirm', 'prod'], b.io)).toBe(2);
    expect(b.lines.join('\n')).toMatch(/--namespaces is required/);
  });

  it('parses and checks the namespace list', () => {
    expect(parseNamespaces(' harbor, minio,harbor ')).toEqual(['harbor', 'minio']);
    expect(() => parseNamespaces('Harbor,mi nio')).toThrow(UsageError);
    expect(() => parseNamespaces(',')).toThrow(/at least one namespace/);
  });

  it('reads inventory times from their names', () => {
    expect(inventoryTime('2026-11-25T18-30-00.123Z.json')?.toISOString()).toBe('2026-11-25T18:30:00.123Z');
    expect(inventoryTime('notes.json')).toBeUndefined();
  });
});
