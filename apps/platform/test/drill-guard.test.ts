/**
 * The operations role's blast radius on the cluster: RBAC lets it patch and delete
 * PersistentVolumes and create Restores, and the drill-guard ValidatingAdmissionPolicy
 * of the synthesized template confines those writes by content. Its CEL is evaluated
 * here (@bufbuild/cel) on requests and objects shaped as Kubernetes hands them to a
 * policy (`request`, `object`, `oldObject`; null where the operation has none).
 */
import { isCelError, run } from '@bufbuild/cel';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './composed.js';

/** The workflow roles' Kubernetes groups, as the plan names them. */
const { clusterAccess } = plannedEnvironment('prod').plan.names;
const WORKFLOW_GROUPS = { operations: clusterAccess.operations.group, restore: clusterAccess.restore.group };

const GUARD = clusterAccess.operations.drillGuard;

interface Call {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly group: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly object?: unknown;
  readonly oldObject?: unknown;
  readonly groups?: string[];
}

/** Whether the API server admits `c` under `vap` (a false match condition skips; an error denies with failurePolicy Fail). */
function admit(vap: any, c: Call): { allowed: boolean; message?: string } {
  const request = {
    kind: { group: c.group, version: 'v1', kind: 'Object' },
    resource: { group: c.group, version: 'v1', resource: c.resource },
    ...(c.name && { name: c.name }),
    ...(c.namespace && { namespace: c.namespace }),
    operation: c.operation,
    userInfo: { username: 'arn:aws:sts::222222222222:assumed-role/harbor-platform-prod-github-operations/drill', groups: c.groups ?? [WORKFLOW_GROUPS.operations, 'system:authenticated'] },
    dryRun: false,
  };
  const bindings: Record<string, any> = { request, object: c.object ?? null, oldObject: c.oldObject ?? null };
  for (const m of vap.spec.matchConditions) {
    const v = run(m.expression, bindings);
    if (isCelError(v)) return { allowed: false, message: `match error: ${v.message}` };
    if (v === false) return { allowed: true };
  }
  for (const v of vap.spec.validations) {
    const result = run(v.expression, bindings);
    if (isCelError(result)) return { allowed: vap.spec.failurePolicy !== 'Fail', message: `error: ${result.message}` };
    if (result !== true) return { allowed: false, message: v.message };
  }
  return { allowed: true };
}

const volume = (claimNamespace: string | undefined, reclaim = 'Retain') => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'pvc-0a1b2c3d-4e5f-6789-abcd-ef0123456789' },
  spec: {
    persistentVolumeReclaimPolicy: reclaim,
    ...(claimNamespace && { claimRef: { kind: 'PersistentVolumeClaim', namespace: claimNamespace, name: 'data-harbor-database-0' } }),
  },
});

describe('the drill guard of prod, evaluated on sample objects', () => {
  let prod: SynthesizedEnvironment;
  let vap: any;
  let drill: string[];
  let restore: (spec: Record<string, unknown>) => Call;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
    const objects = Object.values(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesResource'))
      .map((r) => r.Properties.Manifest)
      .filter((m): m is string => typeof m === 'string')
      .flatMap((m) => JSON.parse(m) as any[]);
    vap = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === GUARD);
    expect(objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === GUARD)?.spec).toEqual({ policyName: GUARD, validationActions: ['Deny'] });
    drill = prod.plan.drill.namespaces;
    const cm = prod.plan.drill.modifiersConfigMap;
    restore = (spec) => ({
      operation: 'CREATE',
      group: 'velero.io',
      resource: 'restores',
      namespace: 'velero',
      name: 'drill-prod-20261130t050000z',
      object: {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        metadata: { name: 'drill-prod-20261130t050000z', namespace: 'velero' },
        spec: {
          backupName: 'harbor-hourly-20261130041500',
          includedNamespaces: ['harbor', 'minio'],
          namespaceMapping: { harbor: drill[0], minio: drill[1] },
          restorePVs: true,
          existingResourcePolicy: 'none',
          resourceModifier: { kind: 'ConfigMap', name: cm },
          ...spec,
        },
      },
    });
  }, SYNTH_TIMEOUT);

  it('admits what the drill does: its Restore, its volumes switched to Delete and deleted, its ConfigMap', () => {
    expect(admit(vap, restore({}))).toEqual({ allowed: true });
    expect(admit(vap, { operation: 'UPDATE', group: '', resource: 'persistentvolumes', name: 'pvc-1', oldObject: volume(drill[0]), object: volume(drill[0], 'Delete') })).toEqual({ allowed: true });
    expect(admit(vap, { operation: 'DELETE', group: '', resource: 'persistentvolumes', name: 'pvc-1', oldObject: volume(drill[1]) })).toEqual({ allowed: true });
    expect(admit(vap, { operation: 'CREATE', group: '', resource: 'configmaps', namespace: 'velero', name: prod.plan.drill.modifiersConfigMap, object: {} })).toEqual({ allowed: true });
  });

  it('refuses a Restore into a live namespace (in place, or mapped onto it)', () => {
    const inPlace = restore({ namespaceMapping: undefined });
    delete (inPlace.object as any).spec.namespaceMapping;
    expect(admit(vap, inPlace)).toMatchObject({ allowed: false, message: expect.stringContaining('may restore only into the drill namespaces') });
    expect(admit(vap, restore({ namespaceMapping: { harbor: 'harbor', minio: drill[1] } }))).toMatchObject({ allowed: false, message: expect.stringContaining('may restore only into the drill namespaces') });
    // One namespace left unmapped restores in place.
    expect(admit(vap, restore({ includedNamespaces: ['harbor', 'minio', 'velero'] }))).toMatchObject({ allowed: false });
    expect(admit(vap, restore({ includedNamespaces: ['*'] }))).toMatchObject({ allowed: false });
  });

  it("refuses a Restore without the drill's modifiers, with hooks, overwriting existing objects or with cluster resources", () => {
    const denied = (spec: Record<string, unknown>) => expect(admit(vap, restore(spec)), JSON.stringify(spec)).toMatchObject({ allowed: false, message: expect.stringContaining("only with the drill's resource modifiers") });
    const noModifier = restore({});
    delete (noModifier.object as any).spec.resourceModifier;
    expect(admit(vap, noModifier)).toMatchObject({ allowed: false });
    denied({ resourceModifier: { kind: 'ConfigMap', name: 'attacker-modifiers' } });
    denied({ hooks: { resources: [{ name: 'x', postHooks: [{ exec: { container: 'core', command: ['sh', '-c', 'true'] } }] }] } });
    denied({ existingResourcePolicy: 'update' });
    denied({ includeClusterResources: true });
  });

  it('refuses patching or deleting a live volume, a volume without a claim, or re-pointing a drill volume', () => {
    const live = { operation: 'DELETE' as const, group: '', resource: 'persistentvolumes', name: 'pvc-2', oldObject: volume('harbor') };
    expect(admit(vap, live)).toMatchObject({ allowed: false, message: expect.stringContaining('only PersistentVolumes claimed from the drill namespaces') });
    expect(admit(vap, { ...live, operation: 'UPDATE', object: volume('harbor', 'Delete') })).toMatchObject({ allowed: false });
    expect(admit(vap, { ...live, oldObject: volume(undefined) })).toMatchObject({ allowed: false });
    expect(admit(vap, { ...live, operation: 'UPDATE', oldObject: volume(drill[0]), object: volume('minio') })).toMatchObject({ allowed: false });
  });

  it("refuses any other ConfigMap in Velero's namespace", () => {
    expect(admit(vap, { operation: 'UPDATE', group: '', resource: 'configmaps', namespace: 'velero', name: 'velero-plugin-config', object: {}, oldObject: {} })).toMatchObject({ allowed: false });
  });

  it('leaves every other group alone', () => {
    const live = { operation: 'DELETE' as const, group: '', resource: 'persistentvolumes', name: 'pvc-2', oldObject: volume('harbor') };
    expect(admit(vap, { ...live, groups: [WORKFLOW_GROUPS.restore, 'system:authenticated'] })).toEqual({ allowed: true });
  });

  it('exists before the operations RBAC that grants the verbs', () => {
    const manifests = Object.entries(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesResource')).filter(([, r]) => typeof r.Properties.Manifest === 'string');
    const guardId = manifests.find(([, r]) => r.Properties.Manifest.includes(GUARD))![0];
    const rbac = manifests.find(([, r]) => JSON.parse(r.Properties.Manifest).some((o: any) => o.kind === 'ClusterRole' && o.metadata.name === clusterAccess.operations.rbac))![1];
    expect(rbac.DependsOn).toContain(guardId);
  });
});
