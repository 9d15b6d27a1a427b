import { HARBOR_RELEASE } from '@harbor-platform/config';
import { describe, expect, it } from 'vitest';
import { FakeCluster, harborObjects, type StoredObject } from './support/fake-cluster.js';
import { FakeClock } from './support/fakes.js';
import { veleroRestoreItem } from './support/velero-patch.js';
import { registryOnlyRules } from '../src/drill/isolation.js';
import type { NamespacedObject } from '../src/kube/api.js';
import { drillModifierRules, veleroPatchValue } from '../src/velero/modifiers.js';
import { readBackModifiers, ruleMismatches } from '../src/velero/readback.js';

const DRILL = 'http://minio.minio-drill.svc.cluster.local:9000';
const LIVE = 'http://minio.minio.svc.cluster.local:9000';
const mapping = { harbor: 'harbor-drill', minio: 'minio-drill' };
const rules = [...drillModifierRules({ drillS3Endpoint: DRILL, drillExternalUrl: 'http://127.0.0.1:18080', harborRelease: HARBOR_RELEASE }), ...registryOnlyRules()];
const groupResource = (o: StoredObject) => (o.kind === 'ConfigMap' ? 'configmaps' : `${o.kind.toLowerCase()}s.apps`);

/** Harbor's objects as Velero restores them into the drill namespace, optionally changed after the modifiers ran. */
async function restoredCluster(change: (o: StoredObject) => void = () => undefined) {
  const kube = new FakeCluster(new FakeClock());
  kube.namespaces.add('harbor-drill').add('minio-drill');
  for (const o of harborObjects('harbor', 'https://harbor.example.com')) {
    const restored = veleroRestoreItem(rules, groupResource(o), o);
    const inDrill = { ...restored, metadata: { ...restored.metadata, namespace: 'harbor-drill' } };
    change(inDrill);
    await kube.createObject(inDrill as NamespacedObject);
  }
  return kube;
}

type Deployment = { spec: { replicas: number; template: { spec: { containers: { name: string; env: { name: string; value?: string }[] }[] } } } };
const registryOf = (o: StoredObject) => (o.metadata.name === `${HARBOR_RELEASE}-registry` ? (o as unknown as Deployment) : undefined);

describe('readBackModifiers', () => {
  it('finds nothing wrong when every modifier took', async () => {
    expect(await readBackModifiers(await restoredCluster(), rules, mapping)).toEqual([]);
  });

  it("names the object and the field when the registry's S3 endpoint still points at the live MinIO", async () => {
    const kube = await restoredCluster((o) => {
      const env = registryOf(o)?.spec.template.spec.containers.find((c) => c.name === 'registry')!.env;
      if (env) env.find((e) => e.name === 'REGISTRY_STORAGE_S3_REGIONENDPOINT')!.value = LIVE;
    });
    expect(await readBackModifiers(kube, rules, mapping)).toEqual([
      `deployments.apps harbor-drill/${HARBOR_RELEASE}-registry: field spec.template.spec.containers[name=registry].env[name=REGISTRY_STORAGE_S3_REGIONENDPOINT].value is "${LIVE}", expected "${DRILL}"`,
    ]);
  });

  it('names a variable that is missing altogether, and a scaled-down component that is not', async () => {
    const kube = await restoredCluster((o) => {
      const registry = registryOf(o);
      if (registry) registry.spec.template.spec.containers[1]!.env = registry.spec.template.spec.containers[1]!.env.filter((e) => e.name !== 'REGISTRY_STORAGE_S3_REGIONENDPOINT');
      if (o.metadata.name === `${HARBOR_RELEASE}-core` && o.kind === 'Deployment') (o as unknown as Deployment).spec.replicas = 2;
    });
    const problems = await readBackModifiers(kube, rules, mapping);
    expect(problems).toContain(`deployments.apps harbor-drill/${HARBOR_RELEASE}-registry: field spec.template.spec.containers[name=registryctl].env[name=REGISTRY_STORAGE_S3_REGIONENDPOINT] is absent, expected {"name":"REGISTRY_STORAGE_S3_REGIONENDPOINT","value":"${DRILL}"}`);
    expect(problems).toContain(`deployments.apps harbor-drill/${HARBOR_RELEASE}-core: field /spec/replicas is 2, expected 0`);
    expect(problems).toHaveLength(2);
  });

  it("names core's EXT_ENDPOINT left on the public host", async () => {
    const kube = await restoredCluster((o) => {
      if (o.kind === 'ConfigMap') (o as unknown as { data: Record<string, string> }).data.EXT_ENDPOINT = 'https://harbor.example.com';
    });
    expect(await readBackModifiers(kube, rules, mapping)).toEqual([`configmaps harbor-drill/${HARBOR_RELEASE}-core: field /data/EXT_ENDPOINT is "https://harbor.example.com", expected "http://127.0.0.1:18080"`]);
  });

  it('takes an empty variable Kubernetes stored without its value (omitempty) as set', async () => {
    const kube = await restoredCluster((o) => {
      for (const c of registryOf(o)?.spec.template.spec.containers ?? []) for (const e of c.env) if (e.name === 'REGISTRY_REDIS_ADDR') delete e.value;
    });
    expect(await readBackModifiers(kube, rules, mapping)).toEqual([]);
  });

  it('a rule naming one object that is not there changed nothing: named; alternatives that match nothing are not', async () => {
    const kube = await restoredCluster();
    const extra = [{ conditions: { groupResource: 'deployments.apps', resourceNameRegex: '^harbor-exporter$' }, patches: [{ operation: 'add' as const, path: '/spec/replicas', value: '0' }] }];
    expect(await readBackModifiers(kube, [...rules, ...extra], mapping)).toEqual(['deployments.apps ^harbor-exporter$ in harbor-drill, minio-drill: no restored object matches, so the modifier changed nothing']);
  });
});

describe('ruleMismatches and veleroPatchValue', () => {
  it('read JSON-patch values as Velero sends them: numbers, booleans, null and JSON unquoted, the rest as strings', () => {
    expect([veleroPatchValue('0'), veleroPatchValue('true'), veleroPatchValue('null'), veleroPatchValue('{"a":1}'), veleroPatchValue('http://x:9000'), veleroPatchValue('')]).toEqual([0, true, null, { a: 1 }, 'http://x:9000', '']);
  });

  it('checks an appended list item by its presence, and a removed field by its absence', () => {
    const obj = { spec: { list: [{ a: 1 }], gone: 'still here' } };
    const rule = { conditions: { groupResource: 'x' }, patches: [{ operation: 'add' as const, path: '/spec/list/-', value: '{"a":2}' }, { operation: 'remove' as const, path: '/spec/gone' }] };
    expect(ruleMismatches(obj, rule).map((m) => m.field)).toEqual(['/spec/list/-', '/spec/gone']);
    expect(ruleMismatches({ spec: { list: [{ a: 1 }, { a: 2 }] } }, rule)).toEqual([]);
  });
});
