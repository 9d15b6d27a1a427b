/**
 * The operations role's dry-run access for the drift check's `kubectl diff`: RBAC on
 * exactly the synthesized manifests' kinds, confined to dry runs by a
 * ValidatingAdmissionPolicy whose CEL is evaluated here (@bufbuild/cel) against
 * requests shaped as Kubernetes hands them to a policy.
 */
import { isCelError, run } from '@bufbuild/cel';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { apiResourceOf, buildManifests, DiffAccessChart } from '@harbor-platform/manifests';
import { App as Cdk8sApp } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './composed.js';

/** The workflow roles' Kubernetes groups, as the plan names them. */
const { clusterAccess } = plannedEnvironment('prod').plan.names;
const WORKFLOW_GROUPS = { operations: clusterAccess.operations.group, restore: clusterAccess.restore.group };

const DIFF = clusterAccess.operations.diff;
const POLICY = clusterAccess.operations.dryRunOnly;

/** Kubernetes manifests of a template by logical id (objects, dependencies). */
function manifests(env: SynthesizedEnvironment) {
  return Object.entries(resourcesOf(env.template, 'Custom::AWSCDK-EKS-KubernetesResource'))
    .filter(([, r]) => typeof r.Properties.Manifest === 'string')
    .map(([id, r]) => ({ id, objects: JSON.parse(r.Properties.Manifest) as any[], dependsOn: r.DependsOn ?? [] }));
}
const holding = (env: SynthesizedEnvironment, kind: string, name: string) => {
  const found = manifests(env).filter((m) => m.objects.some((o) => o.kind === kind && o.metadata.name === name));
  expect(found, `one manifest applies ${kind} ${name}`).toHaveLength(1);
  return found[0]!;
};
const diffedObjects = (env: SynthesizedEnvironment) => buildManifests(env.config, { plan: env.plan }).app.charts.flatMap((c) => c.toJson());

describe.each(['dev', 'prod'] as const)('diff access of the operations role in %s', (name) => {
  let env: SynthesizedEnvironment;
  beforeAll(() => {
    env = synthesizeEnvironment(name);
  }, SYNTH_TIMEOUT);

  it('grants only get, list, patch and create, on exactly the kinds and namespaces of buildManifests(config)', () => {
    const rbac = holding(env, 'ClusterRole', DIFF).objects;
    const granted = new Set<string>();
    for (const role of rbac.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      for (const rule of role.rules) {
        expect(rule.verbs).toEqual(['get', 'list', 'patch', 'create']);
        expect(rule.resourceNames).toBeUndefined();
        for (const g of rule.apiGroups) for (const r of rule.resources) granted.add(`${role.metadata.namespace ?? '(cluster)'} ${g}/${r}`);
      }
    }
    const needed = new Set(diffedObjects(env).map((o: any) => {
      const r = apiResourceOf(o.apiVersion, o.kind);
      return `${o.metadata.namespace ?? '(cluster)'} ${r.group}/${r.resource}`;
    }));
    expect([...granted].sort()).toEqual([...needed].sort());
    for (const b of rbac.filter((o) => o.kind.endsWith('Binding'))) expect(b.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: WORKFLOW_GROUPS.operations }]);
  });

  it("applies the manifests package's DiffAccessChart unchanged (the objects its tests validate against Kubernetes 1.33)", () => {
    const chart = new DiffAccessChart(new Cdk8sApp(), 'diff', { group: WORKFLOW_GROUPS.operations, name: DIFF, objects: diffedObjects(env) });
    // KubernetesManifest adds its prune label; everything else is the chart's.
    const applied = holding(env, 'ClusterRole', DIFF).objects.map((o) => {
      const labels = Object.fromEntries(Object.entries(o.metadata.labels).filter(([k]) => !k.startsWith('aws.cdk.eks/prune-')));
      return { ...o, metadata: { ...o.metadata, labels } };
    });
    expect(applied).toEqual(chart.toJson());
  });

  it('creates the diff access after the dry-run-only policy, the access entry and the namespaces, so it is never unconfined', () => {
    const policy = holding(env, 'ValidatingAdmissionPolicy', POLICY);
    const rbac = holding(env, 'ClusterRole', DIFF);
    expect(policy.objects.map((o) => o.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    const entry = Object.entries(resourcesOf(env.template, 'AWS::EKS::AccessEntry')).find(([, e]) => e.Properties.KubernetesGroups?.[0] === WORKFLOW_GROUPS.operations)![0];
    const namespaces = manifests(env).find((m) => m.objects.some((o) => o.kind === 'Namespace'))!.id;
    expect(rbac.dependsOn).toEqual(expect.arrayContaining([policy.id, entry, namespaces]));
  });

  it('confines the operations group alone: no policy or diff access for the restore group', () => {
    const policies = manifests(env).flatMap((m) => m.objects).filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    // The other policy confines the same group's real writes to the drill (drill-guard.test.ts).
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([clusterAccess.operations.drillGuard, POLICY]);
    expect(JSON.stringify(policies)).not.toContain(WORKFLOW_GROUPS.restore);
    expect(JSON.stringify(manifests(env).map((m) => m.objects))).not.toContain('harbor-platform-restore-diff');
  });
});

/**
 * A request as Kubernetes gives it to a policy's CEL (CreateAdmissionRequest, turned
 * into a map): empty `name`, `namespace`, `subResource` and `userInfo.groups` are absent.
 */
interface Req {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  readonly resource: string;
  readonly group?: string;
  readonly subResource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly dryRun?: boolean;
  readonly groups?: string[];
}
const OPERATIONS_USER = [WORKFLOW_GROUPS.operations, 'system:authenticated'];
function request(r: Req) {
  const groups = r.groups ?? OPERATIONS_USER;
  return {
    kind: { group: r.group ?? '', version: 'v1', kind: 'Object' },
    resource: { group: r.group ?? '', version: 'v1', resource: r.resource },
    ...(r.subResource && { subResource: r.subResource }),
    ...(r.name && { name: r.name }),
    ...(r.namespace && { namespace: r.namespace }),
    operation: r.operation,
    userInfo: { username: 'arn:aws:sts::111111111111:assumed-role/x/y', ...(groups.length && { groups }) },
    dryRun: r.dryRun ?? false,
  };
}

/**
 * What the API server decides with one policy: a false match condition skips it; an
 * error (and no false) applies failurePolicy; a false validation denies with its message.
 */
function admit(vap: any, r: Req): { allowed: boolean; message?: string; errors: string[] } {
  const bindings = { request: request(r) };
  const evaluate = (expression: string) => {
    const v = run(expression, bindings);
    return isCelError(v) ? { error: v.message } : { value: v };
  };
  const conditions = vap.spec.matchConditions.map((c: any) => evaluate(c.expression));
  const errors = conditions.filter((c: any) => c.error).map((c: any) => c.error);
  if (conditions.some((c: any) => c.value === false)) return { allowed: true, errors };
  if (errors.length) return { allowed: vap.spec.failurePolicy !== 'Fail', errors };
  for (const v of vap.spec.validations) {
    const result = evaluate(v.expression);
    if (result.error) return { allowed: vap.spec.failurePolicy !== 'Fail', errors: [result.error] };
    if (result.value !== true) return { allowed: false, message: v.message, errors };
  }
  return { allowed: true, errors };
}

describe('the dry-run-only policy of prod, evaluated', () => {
  let vap: any;
  let plan: SynthesizedEnvironment['plan'];
  beforeAll(() => {
    const prod = synthesizeEnvironment('prod');
    plan = prod.plan;
    vap = holding(prod, 'ValidatingAdmissionPolicy', POLICY).objects[0];
  }, SYNTH_TIMEOUT);

  const expectAdmitted = (r: Req, allowed: boolean) => {
    const result = admit(vap, r);
    expect(result.errors, 'no expression fails on this request').toEqual([]);
    expect(result.allowed, JSON.stringify(r)).toBe(allowed);
    return result;
  };

  it('matches every write of every resource and fails closed', () => {
    expect(vap.spec.failurePolicy).toBe('Fail');
    expect(vap.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*', '*/*'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] }]);
  });

  it('lets dry runs of the diffed objects through and denies the same writes for real, saying why', () => {
    expectAdmitted({ operation: 'UPDATE', group: 'apps', resource: 'statefulsets', namespace: 'minio', name: 'minio-p0-z0', dryRun: true }, true);
    expectAdmitted({ operation: 'CREATE', group: 'external-secrets.io', resource: 'clustersecretstores', name: 'aws-secrets-manager', dryRun: true }, true);
    expectAdmitted({ operation: 'CREATE', resource: 'namespaces', name: 'harbor', dryRun: true }, true);
    const denied = expectAdmitted({ operation: 'UPDATE', group: 'apps', resource: 'statefulsets', namespace: 'minio', name: 'minio-p0-z0' }, false);
    expect(denied.message).toMatch(/^harbor-platform:operations may write only as a server-side dry run \(kubectl diff, the drift check\)/);
    expectAdmitted({ operation: 'CREATE', group: 'storage.k8s.io', resource: 'storageclasses', name: 'gp3' }, false);
    expectAdmitted({ operation: 'UPDATE', group: 'velero.io', resource: 'schedules', namespace: 'velero', name: 'daily' }, false);
    expectAdmitted({ operation: 'CREATE', resource: 'namespaces', name: 'harbor' }, false);
    expectAdmitted({ operation: 'UPDATE', resource: 'namespaces', name: 'harbor', namespace: 'harbor' }, false);
    expectAdmitted({ operation: 'DELETE', resource: 'namespaces', name: 'harbor', namespace: 'harbor' }, false);
    expectAdmitted({ operation: 'CONNECT', resource: 'pods', subResource: 'exec', namespace: 'harbor', name: 'harbor-core-0' }, false);
  });

  it("keeps the restore drill's real writes, each as narrow as the RBAC that grants it", () => {
    const [harborDrill, minioDrill] = plan.drill.namespaces;
    const configMap = plan.drill.modifiersConfigMap;
    // Velero's namespace: Restores and the modifier ConfigMap (created under any name, then only that one).
    expectAdmitted({ operation: 'CREATE', group: 'velero.io', resource: 'restores', namespace: 'velero', name: 'drill-1' }, true);
    expectAdmitted({ operation: 'CREATE', group: 'velero.io', resource: 'backups', namespace: 'velero', name: 'b' }, false);
    expectAdmitted({ operation: 'CREATE', resource: 'configmaps', namespace: 'velero' }, true);
    expectAdmitted({ operation: 'UPDATE', resource: 'configmaps', namespace: 'velero', name: configMap }, true);
    expectAdmitted({ operation: 'DELETE', resource: 'configmaps', namespace: 'velero', name: configMap }, true);
    expectAdmitted({ operation: 'DELETE', resource: 'configmaps', namespace: 'velero', name: 'velero-plugins' }, false);
    expectAdmitted({ operation: 'CREATE', resource: 'configmaps', namespace: 'minio', name: configMap }, false);
    // Drill namespaces: anything inside (EKS Edit), deleting them by name, never changing them.
    expectAdmitted({ operation: 'CONNECT', resource: 'pods', subResource: 'portforward', namespace: minioDrill!, name: 'minio-p0-z0-0' }, true);
    expectAdmitted({ operation: 'DELETE', group: 'apps', resource: 'statefulsets', namespace: harborDrill!, name: 'harbor-core' }, true);
    expectAdmitted({ operation: 'CONNECT', resource: 'pods', subResource: 'portforward', namespace: 'minio', name: 'minio-p0-z0-0' }, false);
    expectAdmitted({ operation: 'DELETE', resource: 'namespaces', name: harborDrill!, namespace: harborDrill! }, true);
    expectAdmitted({ operation: 'DELETE', resource: 'namespaces', name: harborDrill! }, true);
    expectAdmitted({ operation: 'UPDATE', resource: 'namespaces', name: harborDrill!, namespace: harborDrill! }, false);
    // Volumes: patch (reclaim policy) and delete, not their status.
    expectAdmitted({ operation: 'UPDATE', resource: 'persistentvolumes', name: 'pvc-1' }, true);
    expectAdmitted({ operation: 'DELETE', resource: 'persistentvolumes', name: 'pvc-1' }, true);
    expectAdmitted({ operation: 'UPDATE', resource: 'persistentvolumes', subResource: 'status', name: 'pvc-1' }, false);
  });

  it("never touches anyone else's requests, and never fails on them", () => {
    const others: string[][] = [[], ['system:masters', 'system:authenticated'], ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'], [WORKFLOW_GROUPS.restore, 'system:authenticated']];
    for (const groups of others) {
      expectAdmitted({ operation: 'DELETE', resource: 'namespaces', name: 'harbor', groups }, true);
      expectAdmitted({ operation: 'UPDATE', group: 'apps', resource: 'statefulsets', subResource: 'status', namespace: 'minio', name: 'minio-p0-z0', groups }, true);
      expectAdmitted({ operation: 'CREATE', resource: 'pods', namespace: 'minio', groups }, true);
    }
  });

  it('would fail on an unguarded optional field, as Kubernetes does: the guards are needed and hold', () => {
    const noGroups = request({ operation: 'CREATE', resource: 'pods', groups: [] });
    expect(isCelError(run(`'${WORKFLOW_GROUPS.operations}' in request.userInfo.groups`, { request: noGroups }))).toBe(true);
    expect(isCelError(run("request.namespace == 'velero'", { request: noGroups }))).toBe(true);
    for (const c of vap.spec.matchConditions) expect(isCelError(run(c.expression, { request: noGroups })), c.name).toBe(false);
  });
});
