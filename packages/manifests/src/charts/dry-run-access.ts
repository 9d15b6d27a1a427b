import type { RenderedObject } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { diffRules, type AccessRule, type AccessRules } from '../access/diff-rules.js';
import { DRY_RUN_EXPRESSION, groupExpression, outsideRealWritesExpression, type RealWrites } from '../access/policy-expressions.js';

const LABELS = { 'app.kubernetes.io/managed-by': 'harbor-platform' };
const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface DiffAccessChartProps {
  /** The Kubernetes group to bind (a workflow role's access entry group). */
  readonly group: string;
  /** Name of the Roles, the ClusterRole and their bindings. */
  readonly name: string;
  /** The objects the group compares with `kubectl diff`: `buildManifests(config)` of the environment. */
  readonly objects: readonly RenderedObject[];
}

/**
 * What `kubectl diff` of `objects` needs (diffRules): get, list, patch and create on
 * exactly their kinds, a Role in each of their namespaces and a ClusterRole for the
 * cluster-scoped kinds, bound to `group`. Patch and create are dry-run access only:
 * apply DryRunOnlyPolicyChart for the same group first, and remove it last.
 */
export class DiffAccessChart extends Chart {
  readonly rules: AccessRules;

  constructor(scope: Construct, id: string, props: DiffAccessChartProps) {
    super(scope, id);
    this.rules = diffRules(props.objects);
    const subjects = [{ kind: 'Group', apiGroup: RBAC_GROUP, name: props.group }];
    for (const [namespace, rules] of Object.entries(this.rules.namespaceRules)) {
      const metadata = { name: props.name, namespace, labels: LABELS };
      new k8s.KubeRole(this, `Role-${namespace}`, { metadata, rules: rules.map(policyRule) });
      new k8s.KubeRoleBinding(this, `RoleBinding-${namespace}`, { metadata, subjects, roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: props.name } });
    }
    if (this.rules.clusterRules.length) {
      const metadata = { name: props.name, labels: LABELS };
      new k8s.KubeClusterRole(this, 'ClusterRole', { metadata, rules: this.rules.clusterRules.map(policyRule) });
      new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', { metadata, subjects, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: props.name } });
    }
  }
}

export interface DryRunOnlyPolicyChartProps {
  /** The Kubernetes group whose writes must be dry runs. */
  readonly group: string;
  /** Name of the ValidatingAdmissionPolicy and its binding. */
  readonly name: string;
  /**
   * The group's other grants, whose writes are real and stay allowed (the restore
   * drill's, for the operations group).
   * @default none: every write of the group must be a dry run
   */
  readonly realWrites?: RealWrites;
}

/**
 * A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA since 1.30) and
 * its binding that deny every write of `group` (CREATE, UPDATE, DELETE, CONNECT, on
 * every resource and subresource) that is not a server-side dry run, except its
 * real writes.
 *
 * Why granting patch and create for `kubectl diff` is then safe: RBAC decides
 * whether a verb is allowed at all and cannot tell a dry run from a real write
 * (Kubernetes authorizes both alike), so RBAC grants the verbs, and this policy,
 * which runs on every write RBAC let through, confines them to dry runs. A dry run
 * runs admission and validation and then stops before storage: it never persists,
 * and admission webhooks with side effects are not called for it. The policy
 * matches the group's own requests only (matchConditions), so nobody else's writes
 * change; its expressions read optional request fields behind `has()`, so they
 * cannot fail on any request, and failurePolicy Fail makes a broken policy deny
 * the group's writes rather than let them through.
 */
export class DryRunOnlyPolicyChart extends Chart {
  readonly policy: k8s.KubeValidatingAdmissionPolicy;

  constructor(scope: Construct, id: string, props: DryRunOnlyPolicyChartProps) {
    super(scope, id);
    const outside = outsideRealWritesExpression(props.realWrites ?? {});
    this.policy = new k8s.KubeValidatingAdmissionPolicy(this, 'Policy', {
      metadata: { name: props.name, labels: LABELS },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*', '*/*'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] }],
        },
        matchConditions: [
          { name: 'in-group', expression: groupExpression(props.group) },
          ...(outside ? [{ name: 'not-a-granted-real-write', expression: outside }] : []),
        ],
        validations: [
          {
            expression: DRY_RUN_EXPRESSION,
            reason: 'Forbidden',
            message: `${props.group} may write only as a server-side dry run (kubectl diff, the drift check): it compares the cluster with the code; changes go through the deploy workflow`,
          },
        ],
      },
    });
    const binding = new k8s.KubeValidatingAdmissionPolicyBinding(this, 'Binding', {
      metadata: { name: props.name, labels: LABELS },
      spec: { policyName: props.name, validationActions: ['Deny'] },
    });
    binding.addDependency(this.policy);
  }
}

const policyRule = (r: AccessRule): k8s.PolicyRule => ({
  apiGroups: [...r.apiGroups],
  resources: [...r.resources],
  verbs: [...r.verbs],
  ...(r.resourceNames && { resourceNames: [...r.resourceNames] }),
});
