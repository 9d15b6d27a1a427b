/**
 * The drill as a state machine over a cluster that comes up as a real restore does: Velero
 * creates the objects (its modifiers applied as 1.18.1 applies them), the controllers observe
 * them, pods become ready minutes later or never, and the provisioning Job runs, succeeds or
 * fails. Time is the fake clock's: no test waits.
 */
import { HARBOR_RELEASE } from '@harbor-platform/config';
import { MINIO_ROOT_KEYS, MINIO_ROOT_SECRET, PROVISION_SCRIPT, PROVISIONING_LABELS } from '@harbor-platform/manifests';
import { describe, expect, it } from 'vitest';
import { expectCleanedUp, manifests, plan, setup } from './support/drill-setup.js';
import type { StoredObject } from './support/fake-cluster.js';
import { runDrill } from '../src/drill/run.js';

const DRILL_ENDPOINT = 'http://minio.minio-drill.svc.cluster.local:9000';
const LIVE_ENDPOINT = 'http://minio.minio.svc.cluster.local:9000';
const minioSet = plan.minio.statefulSets[0]!.name;
const isMinio = (o: StoredObject) => o.kind === 'StatefulSet' && o.metadata.namespace === 'minio-drill';

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };
type PodSpec = { containers: { image: string; env: EnvVar[] }[]; volumes: { configMap?: { name: string } }[] };
type Job = { metadata: { labels: Record<string, string> }; spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };

describe('the drill waits for the restored objects, provisions the drill MinIO, then fills', () => {
  it('pending, then ready after a delay: provisions only once everything is ready, fills only after the Job succeeded', async () => {
    const { kube, deps, data, log, created, clock } = setup(['InProgress', 'InProgressLater', 'Completed']);
    // MinIO's servers attach their volumes and pull their image for 4 min; Harbor's pods take 2.
    kube.readiness = (o) => ({ readyAfterMs: isMinio(o) ? 4 * 60_000 : 2 * 60_000 });
    const restoreAt = clock.now() + 5_000; // after the pre-run clean-up's one wait
    const r = await runDrill(deps);
    expect(r.ok, r.reason).toBe(true);
    // Progress while pending names what is not ready, with its counts.
    expect(log.some((l) => new RegExp(`^waiting for \\d+ of \\d+ workloads after \\d+s: .*statefulset minio-drill/${minioSet}: 0/\\d+ ready`).test(l))).toBe(true);
    expect(log.some((l) => /^all \d+ restored workloads in harbor-drill, minio-drill are ready after \d+s$/.test(l))).toBe(true);
    expect(r.readyMs).toBe(4 * 60_000);
    // The Job and its ConfigMap are created when the last server is ready, not before.
    expect(created.map((c) => `${c.body.kind} ${c.body.metadata.namespace}`)).toEqual(['ConfigMap minio-drill', 'Job minio-drill']);
    expect(created[1]!.at).toBe(restoreAt + 4 * 60_000);
    // The Job succeeds 45 s after its creation; the fill starts after the poll that sees it.
    expect(data.filledAt).toBe(created[1]!.at + 50_000);
    expect(r.provisioned).toMatch(/^minio-drill\/minio-provisioning-[0-9a-f]{10}-drill$/);
    expectCleanedUp(kube);
  });

  it("runs the provisioning Job's own script, image and pod labels against the drill MinIO, with the restored root credentials", async () => {
    const { deps, created } = setup(['Completed']);
    await runDrill(deps);
    const configMap = created.find((c) => c.body.kind === 'ConfigMap')!.body as unknown as { metadata: { name: string }; data: Record<string, string> };
    const job = created.find((c) => c.body.kind === 'Job')!.body as unknown as Job;
    const rendered = manifests.find((o) => o.kind === 'Job' && o.metadata.namespace === plan.minio.namespace) as unknown as Job;
    expect(configMap.data['provision.sh']).toBe(PROVISION_SCRIPT);
    const pod = job.spec.template.spec;
    expect(pod.volumes.find((v) => v.configMap)!.configMap!.name).toBe(configMap.metadata.name);
    expect(pod.containers[0]!.image).toBe(rendered.spec.template.spec.containers[0]!.image);
    // The restored network policies admit the provisioning pods by these labels.
    expect(job.spec.template.metadata.labels).toEqual(PROVISIONING_LABELS);
    const env = Object.fromEntries(pod.containers[0]!.env.map((e) => [e.name, e.value ?? `${e.valueFrom!.secretKeyRef.name}.${e.valueFrom!.secretKeyRef.key}`]));
    expect(env).toMatchObject({ MINIO_ENDPOINT: DRILL_ENDPOINT, BUCKET: plan.minio.bucket, MINIO_ROOT_USER: `${MINIO_ROOT_SECRET}.${MINIO_ROOT_KEYS.user}`, MINIO_ROOT_PASSWORD: `${MINIO_ROOT_SECRET}.${MINIO_ROOT_KEYS.password}` });
    expect(JSON.stringify(job)).not.toContain(LIVE_ENDPOINT);
  });

  it('a pod that never gets ready: gives up at the drill timeout naming it, never provisions or fills, cleans up', async () => {
    const { kube, deps, data, created, clock, opened } = setup(['InProgress', 'Completed']);
    kube.readiness = (o) => (o.metadata.name === minioSet ? 'never' : { readyAfterMs: 90_000 });
    const start = clock.now();
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'wait-ready' });
    expect(r.reason).toMatch(new RegExp(`^not ready at the drill timeout of ${plan.drill.timeoutMinutes} min: statefulset minio-drill/${minioSet}: (\\d+)/\\d+ ready$`));
    expect(r.readyMs).toBeUndefined();
    expect(created).toEqual([]);
    expect(data.filled).toBe(0);
    expect(opened).toEqual([]);
    // Bounded: the wait ends at the drill's deadline; only the clean-up's own bounded waits follow.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(plan.drill.timeoutMinutes * 60_000 + 15 * 60_000);
    expect(clock.now() - start).toBeGreaterThanOrEqual(plan.drill.timeoutMinutes * 60_000);
    expectCleanedUp(kube);
  });

  it("a provisioning Job that fails: names the Job and Kubernetes' reason, never fills, cleans up the Job with the namespace", async () => {
    const { kube, deps, data, log } = setup(['Completed']);
    kube.readiness = () => ({ readyAfterMs: 60_000 });
    kube.jobBehaviour = () => ({ failAfterMs: 7 * 60_000, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'provision-minio' });
    expect(r.reason).toMatch(/^provisioning job minio-drill\/minio-provisioning-[0-9a-f]{10}-drill failed: BackoffLimitExceeded: Job has reached the specified backoff limit$/);
    expect(log.some((l) => /^waiting for job minio-drill\/minio-provisioning-\S+ \(1 active, [1-6] failed pod\(s\)\)/.test(l))).toBe(true);
    expect(r.provisioned).toBeUndefined();
    expect(data.filled).toBe(0);
    expectCleanedUp(kube);
  });

  it('root credentials that were not restored: names the Secret and key before creating the Job', async () => {
    const { kube, deps, created, data } = setup(['Completed']);
    delete kube.backupSecrets[`${plan.minio.namespace}/${MINIO_ROOT_SECRET}`];
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'provision-minio' });
    expect(r.reason).toBe(`secret minio-drill/${MINIO_ROOT_SECRET} was not restored with key ${MINIO_ROOT_KEYS.user}, which the provisioning Job reads`);
    expect(created).toEqual([]);
    expect(data.filled).toBe(0);
    expectCleanedUp(kube);
  });
});

describe('the drill reads back what the resource modifiers were meant to change', () => {
  it('a MinIO StatefulSet whose guarded field changed since the manifests: Velero restores it unmodified; the drill names object and field and aborts before anything starts', async () => {
    const { kube, deps, data, created, opened } = setup(['Completed']);
    // The live StatefulSet (in the backup) differs from what the drill derived its patches from.
    const live = kube.backup.find((o) => o.kind === 'StatefulSet' && o.metadata.name === minioSet)! as unknown as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    live.spec.template.spec.containers[0]!.args = live.spec.template.spec.containers[0]!.args.map((a) => a.replace('/data', '/disk'));
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'check-modifiers' });
    expect(r.reason).toContain(`statefulsets.apps minio-drill/${minioSet}: field /spec/template/spec/containers/0/args/`);
    expect(r.reason).toMatch(/is "[^"]*\.minio\.svc[^"]*", expected "[^"]*\.minio-drill\.svc/);
    // Only that object is named: the other StatefulSets took their patches.
    for (const other of plan.minio.statefulSets.slice(1)) expect(r.reason).not.toContain(`minio-drill/${other.name}:`);
    expect(created).toEqual([]);
    expect(data.filled).toBe(0);
    expect(opened).toEqual([]);
    expectCleanedUp(kube);
  });

  it('a registry Deployment the modifiers do not find (renamed release): the drill names the rule that changed nothing', async () => {
    const { kube, deps, data } = setup(['Completed']);
    const registry = kube.backup.find((o) => o.kind === 'Deployment' && o.metadata.name === `${HARBOR_RELEASE}-registry`)!;
    registry.metadata.name = 'platform-harbor-registry';
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'check-modifiers' });
    expect(r.reason).toContain(`deployments.apps ^${HARBOR_RELEASE}-registry$ in harbor-drill, minio-drill: no restored object matches, so the modifier changed nothing`);
    expect(data.filled).toBe(0);
    expectCleanedUp(kube);
  });
});
