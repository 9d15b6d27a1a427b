/**
 * The AZ-loss step in the cluster, as a state machine over the fake cluster: the drill
 * namespace's StatefulSets of one AZ scaled to zero, their pods gone after a delay (or never),
 * scaled back to the replicas they had, and the drill's report. Time is the fake clock's.
 */
import { describe, expect, it } from 'vitest';
import { expectCleanedUp, plan, setup } from './support/drill-setup.js';
import { FakeCluster } from './support/fake-cluster.js';
import { FakeClock } from './support/fakes.js';
import { drillHeadline, drillMarkdown } from '../src/drill/report.js';
import { runDrill } from '../src/drill/run.js';
import { KubeZoneControl } from '../src/zone-loss/kube-control.js';
import { chooseZone } from '../src/zone-loss/promise.js';

const NS = 'minio-drill';
const inZone = (z: number) => plan.minio.statefulSets.filter((s) => s.zoneIndex === z).map((s) => s.name);

/** A cluster holding the drill's MinIO StatefulSets, as the restore left them (ready). */
async function cluster(replicas = (name: string) => plan.minio.statefulSets.find((s) => s.name === name)!.replicas) {
  const clock = new FakeClock();
  const kube = new FakeCluster(clock);
  kube.namespaces.add(NS);
  for (const s of plan.minio.statefulSets) {
    await kube.createObject({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: s.name, namespace: NS }, spec: { replicas: replicas(s.name) } });
  }
  clock.t += 10 * 60_000;
  const control = new KubeZoneControl(kube, plan, NS, { clock, pollMs: 5_000 });
  return { clock, kube, control };
}

const replicasOf = async (kube: FakeCluster) => Object.fromEntries((await kube.listWorkloads(NS)).map((w) => [w.name, w.replicas]));

describe('KubeZoneControl', () => {
  it('refuses, when constructed, every namespace but the drill copy of MinIO\'s', () => {
    const kube = new FakeCluster(new FakeClock());
    for (const ns of ['minio', 'harbor', 'harbor-drill', 'kube-system', 'minio-drill-2']) {
      expect(() => new KubeZoneControl(kube, plan, ns, { clock: new FakeClock() })).toThrow(
        `zone loss: namespace "${ns}" is not the drill's MinIO namespace of prod ("minio-drill"): the AZ-loss drill scales the drill's copy only, never a live namespace`,
      );
    }
    expect(new KubeZoneControl(kube, plan, NS, { clock: new FakeClock() }).namespace).toBe(NS);
  });

  it("scales the AZ's StatefulSets to zero, waits until their pods are gone, and back to the replicas they had", async () => {
    // One StatefulSet of the zone runs 3 servers in this copy: the control restores what it read, not the plan's count.
    const z1 = inZone(1);
    const { clock, kube, control } = await cluster((n) => (n === z1[0] ? 3 : 2));
    const before = await replicasOf(kube);
    kube.podTermination = (pod) => (pod.endsWith('-2') ? 55_000 : 40_000);
    const t0 = clock.now();
    await control.down(1);
    expect(clock.now() - t0).toBe(55_000);
    expect(kube.calls.filter((c) => c.startsWith('scale'))).toEqual(z1.map((n) => `scale statefulset ${NS}/${n} to 0`));
    for (const n of z1) expect(await kube.statefulSetPods(NS, n)).toEqual([]);
    // The other zones were not touched.
    for (const n of [...inZone(0), ...inZone(2)]) expect((await kube.statefulSetPods(NS, n)).filter((p) => p.ready)).toHaveLength(2);

    kube.readiness = () => ({ readyAfterMs: 90_000 });
    const t1 = clock.now();
    await control.up(1);
    expect(clock.now() - t1).toBe(90_000);
    expect(await replicasOf(kube)).toEqual(before);
    await control.restore();
    expect(kube.calls.filter((c) => c.startsWith('scale'))).toHaveLength(2 * z1.length);
  });

  it('a pod that never terminates: down gives up at its bound naming the pod; restore scales back', async () => {
    const { clock, kube, control } = await cluster();
    const stuck = `${inZone(0)[0]}-1`;
    kube.podTermination = (pod) => (pod === stuck ? 'never' : 30_000);
    const t0 = clock.now();
    await expect(control.down(0)).rejects.toThrow(`pods of the zone still present after 300 s: ${NS}/${stuck} (terminating)`);
    expect(clock.now() - t0).toBe(300_000);
    await control.restore();
    expect((await replicasOf(kube))[inZone(0)[0]!]).toBe(2);
    // Idempotent: nothing is left to scale back.
    const scales = kube.calls.filter((c) => c.startsWith('scale')).length;
    await control.restore();
    expect(kube.calls.filter((c) => c.startsWith('scale')).length).toBe(scales);
  });

  it('a server that never gets ready again: up gives up at its bound with the counts', async () => {
    const { kube, control } = await cluster();
    await control.down(2);
    kube.readiness = () => 'never';
    await expect(control.up(2)).rejects.toThrow(`servers of the zone not ready after 600 s: statefulset ${NS}/${inZone(2)[0]}: 1/2 ready`);
  });

  it('refuses a zone already at zero replicas: it would have nothing to restore', async () => {
    const { control } = await cluster((n) => (n === inZone(1)[0] ? 0 : 2));
    await expect(control.down(1)).rejects.toThrow(`statefulset ${NS}/${inZone(1)[0]} is already at 0 replicas`);
  });
});

describe('the drill runs the AZ-loss step after the verify', () => {
  const zone = chooseZone(plan, 'rotate', Date.parse('2026-11-25T18:00:00Z')).zone;

  it('passes: scales the rotated AZ away after the verify and back before the clean-up; reports detect and heal beside RTO and RPO', async () => {
    const { kube, deps, data, probe } = setup(['Completed']);
    const verifiedBefore: number[] = [];
    const scale = kube.scaleStatefulSet.bind(kube);
    kube.scaleStatefulSet = async (ns, name, n) => void (verifiedBefore.push(data.verified), await scale(ns, name, n));
    probe.settlingFailures = 1;
    const r = await runDrill(deps);
    expect(r.ok, r.reason).toBe(true);
    const scales = kube.calls.filter((c) => c.startsWith('scale'));
    expect(scales).toEqual([...inZone(zone).map((n) => `scale statefulset ${NS}/${n} to 0`), ...inZone(zone).map((n) => `scale statefulset ${NS}/${n} to 2`)]);
    // After the first verify; the second one is the verify after healing.
    expect(verifiedBefore.every((v) => v === 1)).toBe(true);
    expect(data.verified).toBe(2);
    expect(kube.calls.indexOf(scales.at(-1)!)).toBeLessThan(kube.calls.lastIndexOf('delete namespace minio-drill'));
    const z = r.zoneLoss!;
    expect(z).toMatchObject({ ok: true, zone: `${plan.aws.availabilityZones[zone]} (zone ${zone})`, promise: { read: true, write: true }, observed: { read: true, write: true } });
    // Pods go 40 s after the scale, seen by the 10 s polls.
    expect(z.detectMs).toBe(40_000);
    expect(z.healMs).toBeGreaterThan(0);
    const md = drillMarkdown(r);
    expect(md).toContain(`| AZ loss | passed: ${z.zone} (${z.why}); the plan: reads survive, writes survive |`);
    expect(md).toContain('| AZ loss: time to detect | 40 s (servers gone)');
    expect(md).toContain(`| AZ loss: time to heal | ${Math.round(z.healMs! / 1000)} s (zone back to every object readable) |`);
    expect(md).toMatch(/- pull of 2 image\(s\): served as promised after .* \(1 failed attempt\(s\) while the survivors settled\)/);
    expect(drillHeadline(r)).toMatch(new RegExp(`, AZ loss of .*: detected in 40 s, healed in ${Math.round(z.healMs! / 1000)} s$`));
    expectCleanedUp(kube);
  });

  it('MinIO refuses writes the plan says survive: the drill fails at zone-loss, keeps its RTO, scales back, cleans up', async () => {
    const { kube, deps, probe } = setup(['Completed']);
    probe.whileDown = { read: true, write: false };
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'zone-loss' });
    expect(r.reason).toMatch(/^ap-northeast-2[abc] \(zone \d\): push failed, though the plan says writes survive: after/);
    expect(r.rtoMs).toBeGreaterThan(0);
    expect(kube.calls.filter((c) => / to 2$/.test(c))).toHaveLength(inZone(zone).length);
    expect(drillMarkdown(r)).toContain('| AZ loss | FAILED: ');
    expectCleanedUp(kube);
  });

  it('a pod of the AZ that never terminates: fails at zone-loss naming it, scales back, cleans up', async () => {
    const { kube, deps } = setup(['Completed']);
    const stuck = `${inZone(zone)[0]}-0`;
    kube.podTermination = (pod) => (pod === stuck ? 'never' : 40_000);
    const r = await runDrill(deps);
    expect(r).toMatchObject({ ok: false, failedStep: 'zone-loss' });
    expect(r.reason).toContain(`pods of the zone still present after 300 s: ${NS}/${stuck} (terminating)`);
    expect(kube.calls.filter((c) => / to 2$/.test(c))).toHaveLength(inZone(zone).length);
    expectCleanedUp(kube);
  });

  it('an environment that opts out: no StatefulSet is scaled, and the report says the step did not run', async () => {
    const { kube, deps } = setup(['Completed']);
    const r = await runDrill({ ...deps, plan: { ...plan, drill: { ...plan.drill, zoneLoss: { enabled: false, zone: 'rotate' } } } });
    expect(r.ok).toBe(true);
    expect(r.zoneLoss).toBeUndefined();
    expect(kube.calls.filter((c) => c.startsWith('scale'))).toEqual([]);
    expect(drillMarkdown(r)).toContain('| AZ loss | not run (velero.drill.zoneLoss.enabled: false) |');
  });

  it('a named AZ is the one taken away', async () => {
    const { kube, deps } = setup(['Completed']);
    const named = plan.aws.availabilityZones[(zone + 1) % 3]!;
    const r = await runDrill({ ...deps, plan: { ...plan, drill: { ...plan.drill, zoneLoss: { enabled: true, zone: named } } } });
    expect(r.ok, r.reason).toBe(true);
    expect(r.zoneLoss).toMatchObject({ zone: `${named} (zone ${(zone + 1) % 3})`, why: 'named in velero.drill.zoneLoss.zone' });
    expect(kube.calls.filter((c) => c.endsWith(' to 0'))).toEqual(inZone((zone + 1) % 3).map((n) => `scale statefulset ${NS}/${n} to 0`));
  });
});
