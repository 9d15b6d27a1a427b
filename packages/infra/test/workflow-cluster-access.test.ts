import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { standInManifests } from './manifest-stand-ins.js';
import { environment, importedCluster, logicalId, resourcesOf } from './util.js';
import { WorkflowClusterAccess, type WorkflowClusterAccessProps } from '../src/index.js';

const PRINCIPAL = 'arn:aws:iam::111111111111:role/harbor-platform-dev-github-operations';
const DIFFED = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'harbor' } }];

/** WorkflowClusterAccess on an imported cluster, with `extra` props; its template and manifests by id. */
function synth(extra: Partial<WorkflowClusterAccessProps>) {
  const { stack, cluster } = importedCluster();
  const access = new WorkflowClusterAccess(stack, 'Access', { cluster, principalArn: PRINCIPAL, group: 'harbor-platform:x', name: 'x', ...extra });
  const template = Template.fromStack(stack);
  const manifests = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource');
  const idOf = (c: IConstruct | undefined) => logicalId(stack, c!);
  return { access, template, manifests, idOf };
}

describe('WorkflowClusterAccess with minimal props', () => {
  it('creates one access entry in the group, with no access policy and no RBAC', () => {
    const { template, manifests, access } = synth({});
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'test-cluster', PrincipalArn: PRINCIPAL, Type: 'STANDARD', KubernetesGroups: ['harbor-platform:x'], AccessPolicies: [] });
    expect(Object.keys(manifests)).toEqual([]);
    expect(access.dryRunOnlyPolicy).toBeUndefined();
  });

  it('binds the group to exactly the rules given, by namespace and cluster-wide', () => {
    const { manifests } = synth({
      namespaceRules: { velero: [{ apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get'] }] },
      clusterRules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'], resourceNames: ['drill'] }],
    });
    const objects = JSON.parse(Object.values(manifests)[0]!.Properties.Manifest) as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual(['Role/velero/x', 'RoleBinding/velero/x', 'ClusterRole//x', 'ClusterRoleBinding//x']);
    expect(objects[2].rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'], resourceNames: ['drill'] }]);
  });

  it('with diffAccess, renders the dry-run-only policy (the real writes its rules grant) and the diff RBAC, the RBAC after the policy', () => {
    const { plan } = environment('dev');
    const namespaceRules = { velero: [{ apiGroups: ['velero.io'], resources: ['restores'], verbs: ['create'] }] };
    const { access, manifests, idOf } = synth({ namespaceRules, namespacePolicy: { policy: 'AmazonEKSEditPolicy', namespaces: ['drill'] }, diffAccess: { objects: DIFFED, charts: standInManifests(plan), names: { dryRunOnly: 'x-writes-dry-run-only', diff: 'x-kubectl-diff' } } });
    const recorded = (id: string) => JSON.parse(JSON.parse(manifests[id]!.Properties.Manifest)[0].data.props);
    expect(recorded(idOf(access.dryRunOnlyPolicy))).toEqual({ group: 'harbor-platform:x', name: 'x-writes-dry-run-only', realWrites: { namespaces: ['drill'], namespaceRules } });
    expect(recorded(idOf(access.diffRbac))).toEqual({ group: 'harbor-platform:x', name: 'x-kubectl-diff', objects: DIFFED });
    expect(manifests[idOf(access.diffRbac)]!.DependsOn).toEqual(expect.arrayContaining([idOf(access.dryRunOnlyPolicy), idOf(access.entry)]));
  });

  it('refuses an empty namespace list of its namespace policy', () => {
    expect(() => synth({ namespacePolicy: { policy: 'AmazonEKSEditPolicy', namespaces: [] } })).toThrow(/namespacePolicy.namespaces: empty/);
  });
});
