import { HARBOR_RELEASE, HARBOR_STATELESS_TIERS, type EnvironmentConfig } from '@harbor-platform/config';
import { chartReleases, renderChart, upstreamChart, type RenderedObject } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { environment, named, synth } from './util.js';
import { POD_READINESS_GATE_LABEL } from '../src/charts/namespaces.js';

/**
 * What the real Harbor chart (1.19.1) renders from our values for the stateless tiers:
 * replicas, spread, update strategy, PodDisruptionBudgets, and no volume that would pin a
 * tier to one pod; and the namespace that makes the ALB wait for new pods.
 */

const SLOW = 120_000;

function renderHarbor(config: EnvironmentConfig): RenderedObject[] | undefined {
  const release = chartReleases(config).find((r) => r.name === 'harbor')!;
  const chart = upstreamChart(release.ref);
  return chart ? renderChart({ ...release, chart }) : undefined;
}

const deployment = (objects: RenderedObject[], tier: string) => named(objects, 'Deployment', `${HARBOR_RELEASE}-${tier}`);

for (const env of ['dev', 'prod'] as const) {
  describe(`${env}: Harbor's stateless tiers as the chart renders them`, () => {
    const planned = environment(env);
    const { config } = planned;
    const objects = renderHarbor(config);

    it('runs harbor.replicas of core, portal, registry and jobservice', () => {
      if (!objects) return;
      for (const tier of HARBOR_STATELESS_TIERS) expect(deployment(objects, tier).spec.replicas, tier).toBe(config.harbor.replicas);
      expect(config.harbor.replicas).toBeGreaterThanOrEqual(2);
    }, SLOW);

    it('spreads each tier over zones (DoNotSchedule) and nodes, selecting that tier\'s own pods', () => {
      if (!objects) return;
      for (const tier of HARBOR_STATELESS_TIERS) {
        const pod = deployment(objects, tier).spec.template;
        const constraints = pod.spec.topologySpreadConstraints;
        expect(constraints.map((c: any) => `${c.topologyKey}:${c.whenUnsatisfiable}:${c.maxSkew}`), tier).toEqual([
          'topology.kubernetes.io/zone:DoNotSchedule:1',
          'kubernetes.io/hostname:ScheduleAnyway:1',
        ]);
        for (const c of constraints) {
          expect(c.labelSelector.matchLabels, tier).toEqual({ release: HARBOR_RELEASE, app: 'harbor', component: tier });
          expect(pod.metadata.labels, tier).toMatchObject(c.labelSelector.matchLabels);
        }
      }
    }, SLOW);

    it('rolls every tier (no Recreate) and mounts no ReadWriteOnce claim in them', () => {
      if (!objects) return;
      for (const tier of HARBOR_STATELESS_TIERS) {
        const d = deployment(objects, tier);
        // core and portal carry no strategy: Kubernetes' default is RollingUpdate.
        expect(d.spec.strategy?.type ?? 'RollingUpdate', tier).toBe('RollingUpdate');
        const claims = d.spec.template.spec.volumes.filter((v: any) => v.persistentVolumeClaim);
        expect(claims, tier).toEqual([]);
      }
      expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).not.toContain(`${HARBOR_RELEASE}-jobservice`);
    }, SLOW);

    it('logs jobs to the database, shared by every jobservice replica', () => {
      if (!objects) return;
      const cm = named(objects, 'ConfigMap', `${HARBOR_RELEASE}-jobservice`);
      const loggers = cm.data['config.yml'].split('metric:')[0];
      expect(loggers).toContain('- name: "DB"');
      expect(loggers).not.toContain('- name: "FILE"');
    }, SLOW);

    it('gives each tier a PodDisruptionBudget that keeps one replica and selects that tier', () => {
      if (!objects) return;
      for (const tier of HARBOR_STATELESS_TIERS) {
        const pdb = named(objects, 'PodDisruptionBudget', `${HARBOR_RELEASE}-${tier}`);
        expect(pdb.spec.minAvailable, tier).toBe(1);
        expect(deployment(objects, tier).spec.template.metadata.labels, tier).toMatchObject(pdb.spec.selector.matchLabels);
        expect(pdb.spec.selector.matchLabels.component, tier).toBe(tier);
      }
    }, SLOW);

    it('puts the ALB pod readiness gate on the Harbor namespace only', () => {
      const namespaces = synth(planned).objects.filter((o) => o.kind === 'Namespace');
      const gated = namespaces.filter((n) => n.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject'] === 'enabled').map((n) => n.metadata.name);
      expect(gated).toEqual([config.harbor.namespace]);
      expect(POD_READINESS_GATE_LABEL).toEqual({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
    });
  });
}
