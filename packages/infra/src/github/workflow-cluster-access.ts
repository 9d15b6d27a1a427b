import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Stack } from 'aws-cdk-lib/core';
import { Construct, type IDependable } from 'constructs';
import { PropsCheck } from '../errors.js';
import type { IDryRunAccessCharts, RbacRule, RenderedObject } from '../manifests/manifest-sources.js';

export interface WorkflowClusterAccessProps {
  readonly cluster: eks.ICluster;
  /** The IAM role a workflow job assumes. */
  readonly principalArn: string;
  /** The Kubernetes group the access entry puts the role in; the RBAC below binds it. */
  readonly group: string;
  /** Name of the Roles, ClusterRole and bindings (`plan.names.clusterAccess.<role>.rbac`). */
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
  /**
   * `kubectl diff` access: the group gets get, list, patch and create on exactly the kinds of
   * `objects` (the synthesized manifests of the environment), in their namespaces
   * (`charts.diffAccess`, named `names.diff`), and a ValidatingAdmissionPolicy
   * (`charts.dryRunOnlyPolicy`, named `names.dryRunOnly`) denies every write of the group that is
   * not a dry run, except the real writes the namespace policy and rules above grant.
   * @default none: no diff access and no policy
   */
  readonly diffAccess?: {
    readonly objects: readonly RenderedObject[];
    /** Renders the policy and the RBAC (packages/manifests' DryRunOnlyPolicyChart and DiffAccessChart, passed in by the app). */
    readonly charts: IDryRunAccessCharts;
    /** The policy's and the RBAC's names (`plan.names.clusterAccess.operations`). */
    readonly names: { readonly dryRunOnly: string; readonly diff: string };
  };
}

/**
 * Cluster access of a GitHub workflow role: an EKS access entry (no cluster-wide
 * access policy) whose group is bound to exactly the RBAC rules given. EKS access
 * policies are fixed and none grants Velero's custom resources short of cluster
 * admin, so the rules are Kubernetes RBAC, applied with the platform. With
 * `diffAccess`, also the dry-run access `kubectl diff` needs, which a
 * ValidatingAdmissionPolicy keeps from ever writing for real.
 */
export class WorkflowClusterAccess extends Construct {
  readonly entry: eks.CfnAccessEntry;
  readonly rbac?: eks.KubernetesManifest;
  /** The dry-run-only policy, applied before and removed after the diff access (with `diffAccess`). */
  readonly dryRunOnlyPolicy?: eks.KubernetesManifest;
  /** The RBAC of `kubectl diff` (with `diffAccess`). */
  readonly diffRbac?: eks.KubernetesManifest;

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

    if (props.diffAccess) {
      const { charts, objects: diffed, names } = props.diffAccess;
      const policy = charts.dryRunOnlyPolicy({
        group: props.group,
        name: names.dryRunOnly,
        realWrites: { namespaces: p?.namespaces, namespaceRules: props.namespaceRules, clusterRules: props.clusterRules },
      });
      const diff = charts.diffAccess({ group: props.group, name: names.diff, objects: diffed });
      this.dryRunOnlyPolicy = new eks.KubernetesManifest(this, 'DryRunOnlyPolicy', { cluster: props.cluster, manifest: policy, overwrite: true });
      this.diffRbac = new eks.KubernetesManifest(this, 'DiffRbac', { cluster: props.cluster, manifest: diff, overwrite: true });
      // The verbs exist only while the policy confines them: created after it, deleted before it.
      this.diffRbac.node.addDependency(this.dryRunOnlyPolicy, this.entry, ...(props.after ?? []));
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
