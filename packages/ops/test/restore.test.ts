import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/command.js';
import { main } from '../src/cli.js';
import { FakeClock, FakeKube, fixture, loadPlan } from './support/fakes.js';
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
  const kube = new FakeKube();
  for (const b of backups) kube.custom.set(`backups/velero/${b.metadata.name}`, b);
  kube.namespaces.add('harbor').add('minio');
  kube.backupScript = (opts.safety ?? ['InProgress', 'Completed']).map((p) => ({ status: { phase: p } }));
  kube.restoreScript = (opts.restore ?? ['InProgress', 'Completed']).map((p) => states[p]!);
  const steps: string[] = [];
  const data: RestoreDataPath = {
    latestCopy: async () => COPY,
    copyAt: async (at) => (steps.push(`copyAt ${at.toISOString()}`), COPY),
    safetyBackup: async () => (steps.push('registry safety backup'), { inventory: '2026-11-25T18-00-10.000Z.json' }),
    restoreCopy: async () => (steps.push('fill'), { objects: 10, bytes: 100, missing: [], failed: [] }),
    verify: async () => (steps.push('verify'), { ok: true, summary: 'verified', problems: [], artifactsChecked: 3, bytesHashed: 100 }),
  };
  const access = { open: async () => ({ s3: { endpoint: 'http://127.0.0.1:1', region: 'r', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' }, registry: { url: 'https://harbor.example.com' }, close: async () => undefined }) };
  const clock = new FakeClock();
  return { kube, steps, deps: { plan, veleroNamespace: 'velero', kube, data, access, clock, progress: () => undefined, pollMs: 10_000 } };
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
