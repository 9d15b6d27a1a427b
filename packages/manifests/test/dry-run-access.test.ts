import { upstreamText } from '@harbor-platform/config/testing';
import { App, Testing } from 'cdk8s';
import { ApiResource } from 'cdk8s-plus-33';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environment, synth } from './util.js';
import { schemaErrors } from './validate.js';
import {
  API_RESOURCES,
  apiResourceOf,
  DiffAccessChart,
  diffRules,
  DryRunOnlyPolicyChart,
  groupExpression,
  outsideRealWritesExpression,
} from '../src/index.js';

const GROUP = 'harbor-platform:operations';

function diffAccess(objects: any[]) {
  const chart = new DiffAccessChart(new App(), 'diff', { group: GROUP, name: 'ops-diff', objects });
  return { chart, objects: chart.toJson() as any[] };
}

function policy(realWrites?: Parameters<typeof outsideRealWritesExpression>[0]) {
  const chart = new DryRunOnlyPolicyChart(Testing.app(), 'policy', { group: GROUP, name: 'ops-dry-run-only', realWrites });
  return chart.toJson() as any[];
}

describe('RBAC for kubectl diff of the synthesized manifests', () => {
  for (const env of ['dev', 'prod'] as const) {
    it(`grants get, list, patch and create on exactly the kinds and namespaces of ${env}'s manifests`, () => {
      const { objects } = synth(environment(env));
      const { namespaceRules, clusterRules } = diffRules(objects);
      const granted = new Set<string>();
      for (const [ns, rules] of [...Object.entries(namespaceRules), ['', clusterRules] as const]) {
        for (const r of rules) {
          expect(r.verbs).toEqual(['get', 'list', 'patch', 'create']);
          expect(r.resourceNames).toBeUndefined();
          for (const g of r.apiGroups) for (const res of r.resources) granted.add(`${ns}|${g}|${res}`);
        }
      }
      const needed = new Set(objects.map((o) => {
        const r = apiResourceOf(o.apiVersion, o.kind);
        return `${o.metadata.namespace ?? ''}|${r.group}|${r.resource}`;
      }));
      expect([...granted].sort()).toEqual([...needed].sort());
    });
  }

  it("spells out dev's rules: Roles in harbor, minio and velero, a ClusterRole for the cluster-scoped kinds", () => {
    const verbs = ['get', 'list', 'patch', 'create'];
    const { namespaceRules, clusterRules } = diffRules(synth(environment('dev')).objects);
    expect(Object.keys(namespaceRules)).toEqual(['harbor', 'minio', 'velero']);
    expect(namespaceRules.harbor).toEqual([
      { apiGroups: [''], resources: ['serviceaccounts'], verbs },
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs },
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs },
    ]);
    expect(namespaceRules.minio).toContainEqual({ apiGroups: [''], resources: ['configmaps', 'serviceaccounts', 'services'], verbs });
    expect(namespaceRules.minio).toContainEqual({ apiGroups: ['apps'], resources: ['statefulsets'], verbs });
    expect(namespaceRules.velero).toEqual([{ apiGroups: ['velero.io'], resources: ['backupstoragelocations', 'schedules', 'volumesnapshotlocations'], verbs }]);
    expect(clusterRules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs },
      { apiGroups: ['external-secrets.io'], resources: ['clustersecretstores'], verbs },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs },
    ]);
    // Nothing the manifests do not hold: no Secrets, no Pods, no RBAC.
    expect(JSON.stringify([namespaceRules, clusterRules])).not.toMatch(/"(secrets|pods|roles|clusterroles|rolebindings)"/);
  });

  it('renders a Role and RoleBinding per namespace and one ClusterRole pair, all bound to the group, valid for Kubernetes 1.33', () => {
    const { objects } = diffAccess(synth(environment('prod')).objects);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}`).sort()).toEqual([
      'ClusterRole/', 'ClusterRoleBinding/',
      'Role/harbor', 'Role/minio', 'Role/velero',
      'RoleBinding/harbor', 'RoleBinding/minio', 'RoleBinding/velero',
    ]);
    for (const b of objects.filter((o) => o.kind.endsWith('Binding'))) {
      expect(b.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: GROUP }]);
      expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: b.kind.replace('Binding', ''), name: 'ops-diff' });
    }
    expect(objects.flatMap((o) => schemaErrors(o, new Map()))).toEqual([]);
  });

  it('refuses a namespaced object without a namespace and a cluster-scoped one with one', () => {
    expect(() => diffRules([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }])).toThrow(/ConfigMap c: a namespaced kind without metadata.namespace/);
    expect(() => diffRules([{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's', namespace: 'x' } }])).toThrow(/StorageClass s: StorageClass is cluster-scoped/);
  });

  it('refuses a kind it does not know, saying where to add it', () => {
    expect(() => diffRules([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'a' } }])).toThrow(
      /example.com\/v1 Widget: no API resource known for it: add "Widget.example.com" .* to API_RESOURCES in packages\/manifests\/src\/access\/api-resources.ts/,
    );
  });
});

describe('API_RESOURCES', () => {
  it('names core resources as Kubernetes does (cdk8s-plus-33 ApiResource)', () => {
    const known = new Set(Object.values(ApiResource).filter((v): v is ApiResource => v instanceof ApiResource).map((r) => `${r.apiGroup}|${r.resourceType}`));
    expect(known.size).toBeGreaterThan(50);
    for (const [key, r] of Object.entries(API_RESOURCES)) {
      const group = key.includes('.') ? key.slice(key.indexOf('.') + 1) : '';
      if (group === 'velero.io' || group === 'external-secrets.io') continue;
      expect(known.has(`${group}|${r.resource}`), key).toBe(true);
    }
  });

  it("names Velero's resources and scopes as its 1.18.1 CRDs do", () => {
    for (const file of ['backupstoragelocations', 'volumesnapshotlocations', 'schedules']) {
      const text = upstreamText(`velero-v1.18.1/velero.io_${file}.yaml`);
      if (text === undefined) return;
      const crd = parse(text);
      const entry = API_RESOURCES[`${crd.spec.names.kind}.${crd.spec.group}`];
      expect(entry).toEqual({ resource: crd.spec.names.plural, namespaced: crd.spec.scope === 'Namespaced' });
    }
  });
});

describe('DryRunOnlyPolicyChart', () => {
  it('denies, in every resource and subresource, the writes of the group that are not dry runs, failing closed', () => {
    const [vap, binding] = policy();
    expect(vap).toMatchObject({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'ops-dry-run-only' } });
    expect(vap.spec.failurePolicy).toBe('Fail');
    expect(vap.spec.matchConstraints).toEqual({
      resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*', '*/*'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] }],
    });
    expect(vap.spec.matchConditions).toEqual([{ name: 'in-group', expression: "has(request.userInfo.groups) && 'harbor-platform:operations' in request.userInfo.groups" }]);
    expect(vap.spec.validations).toEqual([
      { expression: 'has(request.dryRun) && request.dryRun == true', reason: 'Forbidden', message: expect.stringMatching(/^harbor-platform:operations may write only as a server-side dry run \(kubectl diff/) },
    ]);
    expect(binding).toMatchObject({ kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'ops-dry-run-only' }, spec: { policyName: 'ops-dry-run-only', validationActions: ['Deny'] } });
    expect(binding.spec.paramRef).toBeUndefined();
  });

  it('leaves out the real writes the group is granted: one clause per write rule, none for read-only rules', () => {
    const [vap] = policy({
      namespaces: ['drill'],
      namespaceRules: { velero: [{ apiGroups: ['velero.io'], resources: ['restores'], verbs: ['create', 'get'] }, { apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get', 'list'] }] },
      clusterRules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete', 'deletecollection'], resourceNames: ['drill'] }],
    });
    expect(vap.spec.matchConditions[1]).toEqual({
      name: 'not-a-granted-real-write',
      expression: [
        '!(',
        "  (has(request.namespace) && request.namespace in ['drill'] && !(request.resource.group == '' && request.resource.resource == 'namespaces'))",
        "  || (has(request.namespace) && request.namespace == 'velero' && request.resource.group in ['velero.io'] && request.resource.resource in ['restores'] && !has(request.subResource) && request.operation in ['CREATE'])",
        "  || (request.resource.group in [''] && request.resource.resource in ['namespaces'] && !has(request.subResource) && request.operation in ['DELETE'] && has(request.name) && request.name in ['drill'])",
        ')',
      ].join('\n'),
    });
  });

  it('is valid for Kubernetes 1.33, and the validator would see a broken one', () => {
    const objects = policy({ namespaces: ['drill'] });
    expect(objects.flatMap((o) => schemaErrors(o, new Map()))).toEqual([]);
    const broken = structuredClone(objects[0]);
    broken.spec.validations = 'request.dryRun';
    expect(schemaErrors(broken, new Map())).toEqual([expect.stringMatching(/^ValidatingAdmissionPolicy\/ops-dry-run-only: .*validations must be array/)]);
  });

  it('refuses what it cannot express: a subresource write, a name that needs quoting', () => {
    expect(() => outsideRealWritesExpression({ namespaceRules: { a: [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }] } })).toThrow(/"pods\/portforward" is a subresource/);
    expect(() => groupExpression("x' || true || '")).toThrow(/cannot be quoted in the policy's CEL/);
  });
});
