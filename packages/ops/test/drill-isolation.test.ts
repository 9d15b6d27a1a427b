/**
 * The drill never touches production: the restore resource modifiers, applied as Velero
 * applies them, to the objects the platform really deploys (buildManifests of
 * packages/manifests for the committed environments).
 */
import { readFileSync } from 'node:fs';
import { HARBOR_REGISTRY_USER, HARBOR_RELEASE, type EnvironmentPlan } from '@harbor-platform/config';
import { plannedEnvironment, upstreamPath } from '@harbor-platform/config/testing';
import { buildManifests } from '@harbor-platform/manifests';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakeKube } from './support/fakes.js';
import { applyRules, veleroRestoreItem } from './support/velero-patch.js';
import { ClusterDrillAccess } from '../src/drill/cluster-access.js';
import { DATABASE_CLIENTS, drillIsolationRules, namespacePatches, registryOnlyDrill, registryOnlyRules } from '../src/drill/isolation.js';
import { drillNamespaceMapping } from '../src/drill/namespaces.js';
import type { RenderedObject } from '../src/steps/rendered-object.js';
import { DRILL_EXCLUDED_RESOURCES } from '../src/velero/modifiers.js';
import { ruleMismatches } from '../src/velero/readback.js';

function rendered(env: 'dev' | 'prod') {
  const { config, plan } = plannedEnvironment(env);
  const objects = buildManifests(config, { plan }).app.charts.flatMap((c) => c.toJson() as RenderedObject[]);
  const mapping = drillNamespaceMapping(plan);
  return { config, plan, objects, mapping, rules: drillIsolationRules(objects, mapping) };
}

/** What Velero creates in the drill: the object in its mapped namespace, with the matching rules applied. */
type Rules = ReturnType<typeof drillIsolationRules>;
function restored(objects: RenderedObject[], rules: Rules, mapping: Record<string, string>, kind: string, groupResource: string) {
  // Velero matches a rule's namespaces against the backup's namespace, then writes the object into the mapped one.
  const inDrill = (o: RenderedObject) => ({ ...o, metadata: { ...o.metadata, namespace: mapping[o.metadata.namespace!]! } });
  return objects
    .filter((o) => o.kind === kind && o.metadata.namespace && mapping[o.metadata.namespace])
    .map((o) => inDrill(applyRules(rules, groupResource, structuredClone(o))) as any);
}

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

describe.each(['dev', 'prod'] as const)('drill isolation of %s, on the rendered manifests', (env) => {
  const { plan, objects, mapping, rules } = rendered(env);

  it("rewrites every restored MinIO server's command line to its drill peers, never the live ones", () => {
    const sets = restored(objects, rules, mapping, 'StatefulSet', 'statefulsets.apps');
    expect(sets.map((s) => s.metadata.name).sort()).toEqual(plan.minio.statefulSets.map((s) => s.name).sort());
    for (const set of sets) {
      const args: string[] = set.spec.template.spec.containers[0].args;
      const expected = plan.minio.pools.map((p) => p.serverArgument.replace(`.${plan.minio.headlessServiceName}.minio.svc.`, `.${plan.minio.headlessServiceName}.minio-drill.svc.`));
      for (const arg of expected) expect(args).toContain(arg);
      expect(strings(set.spec).filter((s) => /\.(minio|harbor)\.svc\b/.test(s))).toEqual([]);
    }
  });

  it('makes restored network policies admit the drill namespaces by name, never the live ones', () => {
    const policies = restored(objects, rules, mapping, 'NetworkPolicy', 'networkpolicies.networking.k8s.io');
    expect(policies.length).toBeGreaterThan(0);
    const selected = policies.flatMap((p) => JSON.stringify(p.spec).match(/"kubernetes\.io\/metadata\.name":"[^"]+"/g) ?? []);
    expect(selected).not.toContain('"kubernetes.io/metadata.name":"minio"');
    expect(selected).not.toContain('"kubernetes.io/metadata.name":"harbor"');
    const servers = policies.find((p) => p.metadata.name === `${plan.minio.serviceName}-servers`);
    const peers = JSON.stringify(servers.spec);
    expect(peers).toContain('"kubernetes.io/metadata.name":"minio-drill"');
    expect(peers).toContain('"kubernetes.io/metadata.name":"harbor-drill"');
    // Peers outside the restore keep their names: Velero's namespace and cluster DNS.
    expect(peers).toContain('"kubernetes.io/metadata.name":"velero"');
    expect(peers).toContain('"kubernetes.io/metadata.name":"kube-system"');
  });

  it('guards each replacement with a test of the value it replaces; Velero then restores a changed object unmodified, and the read-back names its fields', () => {
    const set = objects.find((o) => o.kind === 'StatefulSet')!;
    const changed = structuredClone(set) as any;
    changed.spec.template.spec.containers[0].args = changed.spec.template.spec.containers[0].args.map((a: string) => a.replace('/data', '/disk'));
    expect(() => applyRules(rules, 'statefulsets.apps', changed)).toThrow(/Test operation failed/);
    // Velero 1.18.1 logs the failed test at info level and restores the object as it was.
    const restoredAsIs = veleroRestoreItem(rules, 'statefulsets.apps', changed);
    expect(restoredAsIs).toEqual(changed);
    const rule = rules.find((r) => r.conditions.groupResource === 'statefulsets.apps' && r.conditions.resourceNameRegex === `^${set.metadata.name}$`)!;
    const wrong = ruleMismatches(restoredAsIs, rule);
    expect(wrong.length).toBe(rule.patches!.filter((p) => p.operation === 'replace').length);
    expect(wrong.every((m) => m.field.startsWith('/spec/') && JSON.stringify(m.expected).includes('-drill'))).toBe(true);
  });

  it('leaves objects outside the mapped namespaces alone', () => {
    const outside = objects.filter((o) => !o.metadata.namespace || !mapping[o.metadata.namespace]);
    for (const r of rules) for (const o of outside) expect(new RegExp(r.conditions.resourceNameRegex!).test(o.metadata.name) && o.kind === 'StatefulSet').toBe(false);
  });
});

describe('namespacePatches', () => {
  it('rewrites DNS names only at a namespace boundary and selector values only under matchLabels', () => {
    const patches = namespacePatches(
      { a: 'http://x.minio.svc.cluster.local:9000', b: 'http://x.minio-other.svc', c: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } }, d: { 'kubernetes.io/metadata.name': 'minio' } },
      { minio: 'minio-drill' },
    );
    expect(patches).toEqual([
      { operation: 'test', path: '/a', value: 'http://x.minio.svc.cluster.local:9000' },
      { operation: 'replace', path: '/a', value: 'http://x.minio-drill.svc.cluster.local:9000' },
      { operation: 'test', path: '/c/matchLabels/kubernetes.io~1metadata.name', value: 'minio' },
      { operation: 'replace', path: '/c/matchLabels/kubernetes.io~1metadata.name', value: 'minio-drill' },
    ]);
  });
});

describe('drill of an environment with an external database or Redis', () => {
  const prod = rendered('prod').plan;
  const dev = rendered('dev').plan;
  const deployment = (component: string, containers = [{ name: component, env: [] as object[] }]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${HARBOR_RELEASE}-${component}`, namespace: 'harbor-drill' },
    spec: { replicas: 2, template: { spec: { containers } } },
  });

  it('is registry-only in prod (RDS and ElastiCache), full in dev (internal database and Redis)', () => {
    expect(prod.harbor).toMatchObject({ database: 'external', redis: 'external' });
    expect(registryOnlyDrill(prod)).toBe(true);
    expect(registryOnlyDrill(dev)).toBe(false);
    expect(registryOnlyDrill({ ...dev, harbor: { ...dev.harbor, redis: 'external' } } as EnvironmentPlan)).toBe(true);
  });

  it('never starts core, jobservice, exporter, portal or trivy: restored scaled to zero', () => {
    const rules = registryOnlyRules();
    for (const c of DATABASE_CLIENTS.deployments) expect(applyRules(rules, 'deployments.apps', deployment(c)).spec.replicas, c).toBe(0);
    const trivy = { ...deployment('trivy'), kind: 'StatefulSet' };
    expect(applyRules(rules, 'statefulsets.apps', trivy).spec.replicas).toBe(0);
    expect(applyRules(rules, 'deployments.apps', deployment('registry', [{ name: 'registry', env: [] }, { name: 'registryctl', env: [] }])).spec.replicas).toBe(2);
  });

  it("cuts the restored registry's Redis: in-memory blob cache and no Redis address, in registry and registryctl", () => {
    const registry = applyRules(registryOnlyRules(), 'deployments.apps', deployment('registry', [{ name: 'registry', env: [] }, { name: 'registryctl', env: [] }]));
    for (const c of registry.spec.template.spec.containers) {
      expect(c.env).toEqual([{ name: 'REGISTRY_STORAGE_CACHE_LAYERINFO', value: 'inmemory' }, { name: 'REGISTRY_REDIS_ADDR', value: '' }]);
    }
  });

  const VALUES = upstreamPath('harbor-helm-v1.19.1/values.yaml', 'the Harbor component list check');
  const haveValues = VALUES !== undefined;
  it.runIf(haveValues)('accounts for every component of the Harbor chart 1.19.1 that talks to the database or Redis', () => {
    const values = parse(readFileSync(VALUES!, 'utf8'));
    const components = Object.keys(values).filter((k) => values[k]?.image || Object.values(values[k] ?? {}).some((v: any) => v?.image));
    // registry: kept (the drill's subject), its Redis cut; nginx: not deployed (ingress expose);
    // database, redis: not deployed with the external ones.
    const kept = ['registry', 'nginx', 'database', 'redis'];
    const stopped = [...DATABASE_CLIENTS.deployments, ...DATABASE_CLIENTS.statefulSets];
    expect(components.filter((c) => !kept.includes(c) && !stopped.includes(c as never))).toEqual([]);
    expect(stopped.every((c) => components.includes(c))).toBe(true);
  });

  it("points verify at the restored registry's distribution API with Harbor's registry user, not at core", async () => {
    const kube = new FakeKube();
    kube.secrets = {
      'harbor-drill/harbor-registry-s3': { REGISTRY_STORAGE_S3_ACCESSKEY: 'ak', REGISTRY_STORAGE_S3_SECRETKEY: 'sk' },
      'harbor-drill/harbor-internal': { REGISTRY_PASSWD: 'registry-secret' },
      'harbor-drill/harbor-admin-password': { HARBOR_ADMIN_PASSWORD: 'admin-secret' },
    };
    const targets = await new ClusterDrillAccess(kube, prod).open({ harbor: 'harbor-drill', minio: 'minio-drill' });
    expect(kube.forwards.map((f) => `${f.ns}/${f.svc}`)).toEqual(['minio-drill/minio', 'harbor-drill/harbor-registry']);
    expect(targets.registry).toMatchObject({ username: HARBOR_REGISTRY_USER, password: 'registry-secret' });
    const full = new FakeKube();
    full.secrets = kube.secrets;
    const devTargets = await new ClusterDrillAccess(full, dev).open({ harbor: 'harbor-drill', minio: 'minio-drill' });
    expect(full.forwards.map((f) => `${f.ns}/${f.svc}`)).toEqual(['minio-drill/minio', 'harbor-drill/harbor-core']);
    expect(devTargets.registry).toMatchObject({ username: 'admin', password: 'admin-secret' });
  });

  it('restores no Ingress (public hostname), and no Pod, ReplicaSet, Job or CronJob with its unpatched spec', () => {
    expect(DRILL_EXCLUDED_RESOURCES).toEqual(expect.arrayContaining(['ingresses.networking.k8s.io', 'pods', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch']));
  });
});
