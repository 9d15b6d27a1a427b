import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { drillGuardMatch, drillGuardValidations, type DrillGuard } from '../access/drill-guard-expressions.js';

const LABELS = { 'app.kubernetes.io/managed-by': 'harbor-platform' };

export interface DrillGuardPolicyChartProps extends DrillGuard {
  /** Name of the policy and its binding. */
  readonly name: string;
}

/**
 * A ValidatingAdmissionPolicy on the content of the operations group's real writes,
 * which RBAC verbs cannot narrow: PersistentVolume names are generated (so RBAC grants
 * patch and delete on all of them) and a Restore's `create` says nothing of where it
 * restores to. The policy lets the group change only volumes claimed from the drill
 * namespaces, create Restores only into those namespaces with the drill's modifier
 * ConfigMap (no hooks, no overwrite of existing objects, no cluster resources), and
 * write only that ConfigMap in Velero's namespace. failurePolicy Fail: a broken
 * expression denies rather than lets through.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * @see https://velero.io/docs/v1.18/api-types/restore/
 */
export class DrillGuardPolicyChart extends Chart {
  readonly policy: k8s.KubeValidatingAdmissionPolicy;

  constructor(scope: Construct, id: string, props: DrillGuardPolicyChartProps) {
    super(scope, id);
    this.policy = new k8s.KubeValidatingAdmissionPolicy(this, 'Policy', {
      metadata: { name: props.name, labels: LABELS },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['*'], resources: ['persistentvolumes'], operations: ['UPDATE', 'DELETE'] },
            { apiGroups: ['velero.io'], apiVersions: ['*'], resources: ['restores'], operations: ['CREATE', 'UPDATE'] },
            { apiGroups: [''], apiVersions: ['*'], resources: ['configmaps'], operations: ['CREATE', 'UPDATE', 'DELETE'] },
          ],
        },
        matchConditions: [{ name: 'in-group', expression: drillGuardMatch(props) }],
        validations: drillGuardValidations(props).map((v) => ({ expression: v.expression, message: v.message, reason: 'Forbidden' })),
      },
    });
    const binding = new k8s.KubeValidatingAdmissionPolicyBinding(this, 'Binding', {
      metadata: { name: props.name, labels: LABELS },
      spec: { policyName: props.name, validationActions: ['Deny'] },
    });
    binding.addDependency(this.policy);
  }
}
