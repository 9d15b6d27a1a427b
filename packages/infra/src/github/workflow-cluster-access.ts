import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Stack } from 'aws-cdk-lib/core';
import { Construct, type IDependable } from 'constructs';
import { PropsCheck } from '../errors.js';

/** One RBAC rule, as in a Role or ClusterRole. */
export interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  /** Only these objects (not possible for `create` and `list`). @default every object */
  readonly resourceNames?: string[];
}

export interface WorkflowClusterAccessProps {
  readonly cluster: eks.ICluster;
  /** The IAM role a workflow job assumes. */
  readonly principalArn: string;
  /** The Kubernetes group the access entry puts the role in; the RBAC below binds it. */
  readonly group: string;
  /** Name of the Roles, ClusterRole and bindings, such as `harbor-platform-operations`. */
  readonly name: string;
  /**
   * An EKS access policy scoped to namespaces. EKS authorizes it per namespace name,
   * also for namespaces that do not exist yet, which RBAC cannot (a RoleBinding lives
   * inside its namespace).
   * @default none
   */
  readonly namespacePolicy?: { readonly policy: string; readonly namespaces: string[] };
  /** Rules per existing namespace (a Role and a RoleBinding in each). @default none */
  readonly namespaceRules?: Record<string, RbacRule[]>;
  /** Rules on cluster-scoped objects (a ClusterRole and a ClusterRoleBinding). @default none */
  readonly clusterRules?: RbacRule[];
  /** What must exist before the RBAC objects (the namespaces they live in). @default none */
  readonly after?: IDependable[];
}

/**
 * Cluster access of a GitHub workflow role: an EKS access entry (no cluster-wide
 * access policy) whose group is bound to exactly the RBAC rules given. EKS access
 * policies are fixed and none grants Velero's custom resources short of cluster
 * admin, so the rules are Kubernetes RBAC, applied with the platform.
 */
export class WorkflowClusterAccess extends Construct {
  readonly entry: eks.CfnAccessEntry;
  readonly rbac?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: WorkflowClusterAccessProps) {
    super(scope, id);
    validate(props);
    const { partition } = Stack.of(this);
    const p = props.namespacePolicy;
    this.entry = new eks.CfnAccessEntry(this, 'Entry', {
      clusterName: props.cluster.clusterName,
      principalArn: props.principalArn,
      type: 'STANDARD',
      kubernetesGroups: [props.group],
      accessPolicies: p
        ? [{ policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${p.policy}`, accessScope: { type: 'namespace', namespaces: [...p.namespaces] } }]
        : [],
    });

    const objects = rbacObjects(props);
    if (objects.length) {
      this.rbac = new eks.KubernetesManifest(this, 'Rbac', { cluster: props.cluster, manifest: objects, overwrite: true });
      this.rbac.node.addDependency(this.entry, ...(props.after ?? []));
    }
  }
}

/** The Roles, ClusterRole and their bindings to the group. */
export function rbacObjects(props: Pick<WorkflowClusterAccessProps, 'group' | 'name' | 'namespaceRules' | 'clusterRules'>): Record<string, unknown>[] {
  const subjects = [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: props.group }];
  const labels = { 'app.kubernetes.io/managed-by': 'harbor-platform' };
  const objects: Record<string, unknown>[] = [];
  for (const [namespace, rules] of Object.entries(props.namespaceRules ?? {})) {
    const metadata = { name: props.name, namespace, labels };
    objects.push(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: rules.map(rule) },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name } },
    );
  }
  if (props.clusterRules?.length) {
    const metadata = { name: props.name, labels };
    objects.push(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata, rules: props.clusterRules.map(rule) },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.name } },
    );
  }
  return objects;
}

const rule = (r: RbacRule) => ({
  apiGroups: [...r.apiGroups],
  resources: [...r.resources],
  verbs: [...r.verbs],
  ...(r.resourceNames && { resourceNames: [...r.resourceNames] }),
});

function validate(props: WorkflowClusterAccessProps): void {
  const rules = [...Object.values(props.namespaceRules ?? {}).flat(), ...(props.clusterRules ?? [])];
  new PropsCheck('WorkflowClusterAccess')
    .require(
      !/^(system:|eks:|amazon:|aws:)/.test(props.group) && props.group.length > 0,
      `group: "${props.group}" is reserved or empty: EKS refuses groups starting with system:, eks:, amazon: or aws:`,
    )
    .require(!props.namespacePolicy || props.namespacePolicy.namespaces.length > 0, 'namespacePolicy.namespaces: empty: a namespace-scoped policy needs at least one namespace')
    .require(
      rules.every((r) => !r.resourceNames || !r.verbs.some((v) => v === 'create' || v === 'list' || v === 'watch')),
      'rules: resourceNames with create, list or watch: Kubernetes cannot restrict those verbs by name; put them in a rule of their own',
    )
    .require(!rules.some((r) => r.verbs.includes('*') || r.resources.includes('*')), 'rules: a wildcard verb or resource: name each one')
    .throwIfAny();
}
