import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { standInManifests } from './manifest-stand-ins.js';
import { environment, importedCluster, logicalId, resourcesOf } from './util.js';
import { WorkflowAccess } from '../src/index.js';

/** WorkflowAccess on an imported cluster with the dev plan's names, stand-in policies and a recording registry-data grant. */
function synth() {
  const { plan } = environment('dev');
  const { stack, cluster } = importedCluster();
  const namespaces = new eks.KubernetesManifest(stack, 'Namespaces', { cluster, manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'harbor' } }] });
  const grants: { role: string; write: boolean }[] = [];
  const backups = { grantRegistryData: (role: iam.IRole, write: boolean) => void grants.push({ role: role.roleName, write }) };
  const diffObjects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: plan.names.namespaces.harbor } }];
  const access = new WorkflowAccess(stack, 'WorkflowAccess', { cluster, backups, names: plan.names, namespaces, diffObjects, charts: standInManifests(plan) });
  const template = Template.fromStack(stack);
  const manifests = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource');
  const recorded = (c: eks.KubernetesManifest) => JSON.parse(JSON.parse(manifests[logicalId(stack, c)]!.Properties.Manifest)[0].data.props);
  return { plan, stack, access, template, grants, recorded, manifests, namespaces };
}

describe('WorkflowAccess with minimal props', () => {
  it("gives the plan's two GitHub roles access entries in their groups", () => {
    const { plan, template } = synth();
    const entries = Object.values(resourcesOf(template, 'AWS::EKS::AccessEntry')).map((e) => ({ principal: JSON.stringify(e.Properties.PrincipalArn), groups: e.Properties.KubernetesGroups }));
    expect(entries).toHaveLength(2);
    const { clusterAccess } = plan.names;
    expect(entries.find((e) => e.principal.includes(`:role/${plan.names.roles.githubOperations}`))!.groups).toEqual([clusterAccess.operations.group]);
    expect(entries.find((e) => e.principal.includes(`:role/${plan.names.roles.githubDeploy}`))!.groups).toEqual([clusterAccess.restore.group]);
  });

  it('lets the operations role read the registry-data copy and the deploy role write it', () => {
    const { plan, grants } = synth();
    expect(grants).toEqual([{ role: plan.names.roles.githubOperations, write: false }, { role: plan.names.roles.githubDeploy, write: true }]);
  });

  it("renders the drill guard on the plan's drill namespaces, Velero's namespace and the modifier ConfigMap, before the operations RBAC", () => {
    const { plan, access, recorded, stack, manifests } = synth();
    const { namespaces } = plan.names;
    expect(recorded(access.drillGuard)).toEqual({
      name: plan.names.clusterAccess.operations.drillGuard,
      group: plan.names.clusterAccess.operations.group,
      drillNamespaces: [namespaces.drill.harbor, namespaces.drill.minio],
      veleroNamespace: namespaces.velero,
      modifiersConfigMap: plan.names.drillModifiersConfigMap,
    });
    expect(manifests[logicalId(stack, access.operations.rbac!)]!.DependsOn).toContain(logicalId(stack, access.drillGuard));
  });

  it('gives the operations group alone diff access to the objects given, confined to dry runs except its drill writes', () => {
    const { plan, access, recorded, stack, namespaces, manifests } = synth();
    expect(recorded(access.operations.diffRbac!).objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: plan.names.namespaces.harbor } }]);
    const realWrites = recorded(access.operations.dryRunOnlyPolicy!).realWrites;
    expect(realWrites.namespaces).toEqual([plan.names.namespaces.drill.harbor, plan.names.namespaces.drill.minio]);
    expect(Object.keys(realWrites.namespaceRules)).toEqual([plan.names.namespaces.velero]);
    expect(access.restore.diffRbac).toBeUndefined();
    expect(manifests[logicalId(stack, access.restore.rbac!)]!.DependsOn).toContain(logicalId(stack, namespaces));
  });

  it('lets the restore group delete exactly the live namespaces', () => {
    const { plan, access, stack, manifests } = synth();
    const objects = JSON.parse(manifests[logicalId(stack, access.restore.rbac!)]!.Properties.Manifest) as any[];
    const clusterRole = objects.find((o) => o.kind === 'ClusterRole');
    expect(clusterRole.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'], resourceNames: [plan.names.namespaces.harbor, plan.names.namespaces.minio] }]);
  });
});
