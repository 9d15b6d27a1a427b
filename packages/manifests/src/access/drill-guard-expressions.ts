import { ManifestError } from '../errors.js';
import { groupExpression } from './policy-expressions.js';

/**
 * The CEL of DrillGuardPolicyChart. Kubernetes hands a policy `object` (the new
 * object, null on DELETE) and `oldObject` (the stored one, null on CREATE) as maps of
 * the object's fields; an absent field is an error, so each optional one is read
 * behind `has()`, and with failurePolicy Fail an error denies.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export interface DrillGuard {
  /** The Kubernetes group confined (the operations role's access entry group). */
  readonly group: string;
  /** plan.drill.namespaces: the only targets of its Restores and the only claims of volumes it may change. */
  readonly drillNamespaces: readonly string[];
  /** Velero's namespace: Restores and the modifier ConfigMap live there. */
  readonly veleroNamespace: string;
  /** plan.drill.modifiersConfigMap: the only resource modifiers its Restores may use, the only ConfigMap it may write. */
  readonly modifiersConfigMap: string;
}

export interface GuardValidation {
  readonly name: string;
  readonly expression: string;
  readonly message: string;
}

const quote = (v: string) => {
  if (!/^[A-Za-z0-9.:_-]*$/.test(v)) throw new ManifestError(`"${v}" cannot be quoted in the drill guard's CEL: names hold only letters, digits and . : _ -`);
  return `'${v}'`;
};
const list = (vs: readonly string[]) => `[${vs.map(quote).join(', ')}]`;

/** Only requests of the group reach the validations. */
export function drillGuardMatch(g: DrillGuard): string {
  return groupExpression(g.group);
}

/** True when `o` (object or oldObject) is a volume claimed from a drill namespace. */
const drillVolume = (o: string, drill: string) =>
  `${o} != null && has(${o}.spec) && has(${o}.spec.claimRef) && has(${o}.spec.claimRef.namespace) && ${o}.spec.claimRef.namespace in ${drill}`;

/** Each validation holds for every request it does not concern, so one policy covers three kinds. */
export function drillGuardValidations(g: DrillGuard): GuardValidation[] {
  const drill = list(g.drillNamespaces);
  const isPv = "request.resource.group == '' && request.resource.resource == 'persistentvolumes'";
  const isRestore = "request.resource.group == 'velero.io' && request.resource.resource == 'restores'";
  const isConfigMap = "request.resource.group == '' && request.resource.resource == 'configmaps'";
  const spec = 'object.spec';
  return [
    {
      name: 'volumes-of-the-drill-only',
      expression: `!(${isPv}) || (${drillVolume('oldObject', drill)} && (request.operation == 'DELETE' || (${drillVolume('object', drill)})))`,
      message: `${g.group} may change or delete only PersistentVolumes claimed from the drill namespaces ${g.drillNamespaces.join(', ')}`,
    },
    {
      name: 'restores-into-the-drill-namespaces-only',
      expression: `!(${isRestore}) || (has(${spec}.includedNamespaces) && size(${spec}.includedNamespaces) > 0 && has(${spec}.namespaceMapping)`
        + ` && ${spec}.includedNamespaces.all(ns, ns in ${spec}.namespaceMapping)`
        + ` && ${spec}.namespaceMapping.all(source, ${spec}.namespaceMapping[source] in ${drill}))`,
      message: `${g.group} may restore only into the drill namespaces ${g.drillNamespaces.join(', ')}: list the namespaces and map each of them there`,
    },
    {
      name: 'restores-with-the-drill-modifiers-only',
      expression: `!(${isRestore}) || (has(${spec}.resourceModifier) && has(${spec}.resourceModifier.kind) && ${spec}.resourceModifier.kind == 'ConfigMap'`
        + ` && ${spec}.resourceModifier.name == ${quote(g.modifiersConfigMap)}`
        + ` && !has(${spec}.hooks)`
        + ` && (!has(${spec}.existingResourcePolicy) || ${spec}.existingResourcePolicy == 'none')`
        + ` && (!has(${spec}.includeClusterResources) || ${spec}.includeClusterResources == false))`,
      message: `${g.group} may restore only with the drill's resource modifiers (ConfigMap ${g.modifiersConfigMap}), without hooks, without overwriting existing objects and without cluster resources`,
    },
    {
      name: 'the-drill-modifiers-configmap-only',
      expression: `!(${isConfigMap} && has(request.namespace) && request.namespace == ${quote(g.veleroNamespace)}) || (has(request.name) && request.name == ${quote(g.modifiersConfigMap)})`,
      message: `${g.group} may write only the ConfigMap ${g.modifiersConfigMap} in ${g.veleroNamespace}`,
    },
  ];
}
