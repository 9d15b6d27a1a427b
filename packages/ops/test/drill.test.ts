import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { backups, expectCleanedUp, plan, setup } from './support/drill-setup.js';
import { chooseBackup } from '../src/drill/choose.js';
import { drillMarkdown, drillHeadline } from '../src/drill/report.js';
import { runDrill, drillMinioEndpoint } from '../src/drill/run.js';
import type { VeleroBackup, VeleroRestore } from '../src/velero/types.js';


describe('chooseBackup', () => {
  const criteria = { schedules: ['harbor-hourly', 'harbor-daily'], namespaces: ['harbor', 'minio'] };

  it('picks the newest Completed scheduled backup, skipping newer PartiallyFailed, Failed, InProgress and manual ones', () => {
    const choice = chooseBackup(backups, criteria);
    expect('backup' in choice && choice.backup.metadata.name).toBe('harbor-daily-20261124030012');
  });

  it('refuses when no scheduled backup is Completed, naming the phases it saw', () => {
    const choice = chooseBackup(backups.filter((b) => b.status?.phase !== 'Completed'), criteria);
    expect('problem' in choice && choice.problem).toMatch(/none of the 3 scheduled backup\(s\) is Completed \(phases: PartiallyFailed, Failed, InProgress\)/);
  });

  it('refuses a backup without the MinIO namespace and says where to add it', () => {
    const harborOnly = backups.map((b) => ({ ...b, spec: { ...b.spec, includedNamespaces: ['harbor'] } }));
    const choice = chooseBackup(harborOnly, criteria);
    expect('problem' in choice && choice.problem).toMatch(/includes all of harbor, minio: add them to a schedule's includedNamespaces/);
  });

  it('ignores backups of other schedules', () => {
    expect(chooseBackup(backups, { ...criteria, schedules: ['nightly-other'] })).toEqual({ problem: 'no backup from the schedules nightly-other exists yet' });
  });
});

describe('runDrill', () => {
  it('Completed restore: fills MinIO, verifies, measures RTO from restore start and RPO from the older backup, cleans up', async () => {
    const { kube, deps, data, opened, log } = setup(['New', 'InProgress', 'InProgressLater', 'Completed']);
    const r = await runDrill(deps);
    expect(r.ok).toBe(true);
    expect(r.backup).toBe('harbor-daily-20261124030012');
    expect(r.restorePhase).toBe('Completed');
    expect(data.filled).toBe(1);
    // Once after the fill, once more after the AZ-loss step brought its AZ back.
    expect(data.verified).toBe(2);
    // Three 10 s polls before Completed; the restored workloads are ready 3 min after Velero
    // created them; the provisioning Job succeeds 45 s after its creation (seen at the 50 s
    // poll); then 4 min filling and 2 min verifying.
    expect(r.readyMs).toBe(3 * 60_000);
    expect(r.rtoMs).toBe(3 * 60_000 + 50_000 + 6 * 60_000);
    // The Velero backup completed 2026-11-24T03:04:40Z, the copy 2026-11-25T01:30Z: the older one counts.
    expect(r.rpoMs).toBe(Date.parse('2026-11-25T18:00:00Z') - Date.parse('2026-11-24T03:04:40Z'));
    // The registry-data RPO it got: the copy's age, 16.5 h, against the schedule's worst case (daily copies + 180 min upload).
    expect(r.registryDataRpoMs).toBe(16.5 * 3600_000);
    expect(r.registryDataRpoWorstMs).toBe((24 * 60 + 180) * 60_000);
    expect(drillMarkdown(r)).toContain('| registry-data RPO (age of the copy) | 990.0 min (worst case by schedule 1620.0 min) |');
    expect(drillMarkdown(r)).toContain('| restored workloads ready | after 3.0 min |');
    expect(drillMarkdown(r)).toMatch(/\| drill MinIO provisioned \(bucket, user, policy\) \| by job minio-drill\/minio-provisioning-[0-9a-f]{10}-drill \|/);
    expect(opened.every((o) => o.closed)).toBe(true);
    expect(log.some((l) => /restore drill-prod-.*: InProgress 40\/212 items/.test(l))).toBe(true);
    expectCleanedUp(kube);
    expect(drillHeadline(r)).toMatch(/passed: RTO 9\.8 min \(target 45\.0 min\)/);
  });

  it('creates the Restore with the drill namespace mapping and the resource modifier ConfigMap it applied first', async () => {
    const { kube, deps } = setup(['Completed']);
    const applied: Record<string, string>[] = [];
    const apply = kube.applyConfigMap.bind(kube);
    kube.applyConfigMap = async (body) => void (applied.push(body.data), await apply(body));
    await runDrill(deps);
    const restore = [...kube.custom.values()].find((o) => (o as VeleroRestore).kind === 'Restore') as VeleroRestore;
    expect(restore.spec.namespaceMapping).toEqual({ harbor: 'harbor-drill', minio: 'minio-drill' });
    expect(restore.spec.resourceModifier).toEqual({ kind: 'ConfigMap', name: 'harbor-platform-drill-prod' });
    expect(restore.spec.excludedResources).toContain('ingresses.networking.k8s.io');
    expect(kube.calls.indexOf('apply configmap velero/harbor-platform-drill-prod')).toBeLessThan(kube.calls.findIndex((c) => c.startsWith('create restores/')));
    // The ConfigMap carries the isolation rules for every MinIO StatefulSet and network policy, and prod's registry-only rules.
    expect(applied).toHaveLength(1);
    const rules = parse(applied[0]!['resource-modifiers.yaml']!).resourceModifierRules as { conditions: { groupResource: string; resourceNameRegex: string } }[];
    for (const s of plan.minio.statefulSets) expect(rules.some((r) => r.conditions.groupResource === 'statefulsets.apps' && r.conditions.resourceNameRegex === `^${s.name}$`), s.name).toBe(true);
    expect(rules.filter((r) => r.conditions.groupResource === 'networkpolicies.networking.k8s.io').length).toBeGreaterThan(0);
    expect(rules.some((r) => r.conditions.resourceNameRegex === '^harbor-(core|jobservice|exporter|portal)$')).toBe(true);
    expect(restore.spec.excludedResources).toEqual(expect.arrayContaining(['pods', 'replicasets.apps']));
  });

  it.each([
    ['PartiallyFailed', /restore ended PartiallyFailed: 2 error\(s\)/],
    ['Failed', /restore ended Failed: error downloading backup/],
    ['FailedValidation', /restore ended FailedValidation: Invalid included\/excluded namespace lists/],
  ])('%s restore fails the drill before touching the registry, and still cleans up', async (phase, reason) => {
    const { kube, deps, data } = setup(['InProgress', phase]);
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'restore', restorePhase: phase });
    expect(r.reason).toMatch(reason);
    expect(r.rtoMs).toBeUndefined();
    expect(data.filled).toBe(0);
    expectCleanedUp(kube);
  });

  it('InProgress until the timeout: gives up at the configured drill timeout, not later, and cleans up', async () => {
    const { kube, deps, data, log } = setup(['InProgress']);
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'restore', restorePhase: 'InProgress' });
    expect(r.reason).toMatch(`after the drill timeout of ${plan.drill.timeoutMinutes} min`);
    expect(data.filled).toBe(0);
    // The last read happens exactly at the deadline (drill start + timeout). The Restore was
    // created 5 s in, after the pre-run clean-up removed a left-over drill volume.
    const reads = log.filter((l) => l.startsWith('restore drill-prod-20261125t180005z'));
    expect(reads[reads.length - 1]).toMatch(new RegExp(`after ${plan.drill.timeoutMinutes * 60 - 5}s$`));
    expectCleanedUp(kube);
  });

  it('a failed verify fails the drill with the missing digest in the reason', async () => {
    const missing = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const { kube, deps, opened } = setup(['Completed'], { ok: false, summary: `1 blob missing: ${missing}`, problems: [`missing blob ${missing}`], artifactsChecked: 12, bytesHashed: 0 });
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'verify' });
    expect(r.reason).toContain(missing);
    expect(drillMarkdown(r)).toContain(`- missing blob ${missing}`);
    expect(opened.every((o) => o.closed)).toBe(true);
    expectCleanedUp(kube);
  });

  it('a crash while filling MinIO is reported at that step; port-forwards close and clean-up runs', async () => {
    const { kube, deps, data, opened } = setup(['Completed']);
    data.restoreCopy = async () => {
      throw new Error('S3 PutObject: connection reset');
    };
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'fill-minio', reason: 'S3 PutObject: connection reset' });
    expect(opened.every((o) => o.closed)).toBe(true);
    expectCleanedUp(kube);
  });

  it('a blob missing from the copy fails the drill at fill-minio, naming the digest', async () => {
    const digest = 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae';
    const { kube, deps, data } = setup(['Completed']);
    data.restoreCopy = async () => ({ objects: 60, bytes: 1, missing: [digest], failed: [] });
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'fill-minio' });
    expect(r.reason).toContain(`missing from the copy: blob ${digest}`);
    expect(data.verified).toBe(0);
    expectCleanedUp(kube);
  });

  it('no registry-data copy: fails before creating a Restore', async () => {
    const { kube, deps, data } = setup(['Completed']);
    data.latestCopy = async () => undefined;
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'choose-copy' });
    expect(kube.calls.some((c) => c.startsWith('create restores/'))).toBe(false);
  });

  it('no usable backup: fails at choose-backup with the reason', async () => {
    const { kube, deps } = setup(['Completed']);
    for (const k of [...kube.custom.keys()]) if ((kube.custom.get(k) as VeleroBackup).status?.phase === 'Completed') kube.custom.delete(k);
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'choose-backup' });
    expect(r.reason).toMatch(/is Completed/);
  });

  it('removes the leftovers of a crashed drill before restoring', async () => {
    const { kube, deps } = setup(['Completed']);
    kube.namespaces.add('harbor-drill');
    const r = await runDrill(deps);
    expect(r.ok).toBe(true);
    expect(kube.calls.indexOf('delete namespace harbor-drill')).toBeLessThan(kube.calls.findIndex((c) => c.startsWith('create restores/')));
  });

  it('a namespace stuck on a finalizer fails the drill at clean-up after a bounded wait', async () => {
    const { kube, deps, clock } = setup(['Completed']);
    const start = clock.now();
    kube.namespaceGraceReads = Infinity;
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'cleanup' });
    expect(r.reason).toMatch(/still present after 15 min: harbor-drill, minio-drill/);
    expect(clock.now() - start).toBeLessThan(plan.drill.timeoutMinutes * 60_000 + 16 * 60_000);
  });
});

describe('drillMinioEndpoint', () => {
  it("moves MinIO's in-cluster endpoint into the drill namespace, keeping scheme and port", () => {
    expect(drillMinioEndpoint(plan, { harbor: 'harbor-drill', minio: 'minio-drill' })).toBe('http://minio.minio-drill.svc.cluster.local:9000');
  });
});
