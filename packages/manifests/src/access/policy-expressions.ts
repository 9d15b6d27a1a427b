import { ManifestError } from '../errors.js';
import type { AccessRule } from './diff-rules.js';

/**
 * The CEL of DryRunOnlyPolicyChart. Kubernetes hands a policy `request` as the
 * AdmissionRequest turned into a map, without the fields that are empty (no
 * `namespace` for cluster-scoped objects, no `name` for a generated name, no
 * `subResource`, no `userInfo.groups` for a user without groups); reading an absent
 * field is an error, and an error with failurePolicy Fail rejects the request. So
 * every optional field is read behind `has()`. Only `dryRun` is always set.
 */

/** The group's other grants: writes it makes for real, which the policy lets through. */
export interface RealWrites {
  /**
   * Namespaces in which the group may do anything (an EKS access policy scoped to
   * them), the Namespace objects themselves excepted.
   * @default none
   */
  readonly namespaces?: readonly string[];
  /** Rules of the group's Roles, by namespace. @default none */
  readonly namespaceRules?: Readonly<Record<string, readonly AccessRule[]>>;
  /** Rules of the group's ClusterRole (RBAC applies them in every namespace). @default none */
  readonly clusterRules?: readonly AccessRule[];
}

/** The admission operations a write verb leads to (a patch is admitted as an UPDATE). */
const VERB_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  create: ['CREATE'],
  update: ['UPDATE'],
  patch: ['UPDATE'],
  delete: ['DELETE'],
  deletecollection: ['DELETE'],
};

/** `request.dryRun` is always set (CreateAdmissionRequest); `has()` keeps a missing one a denial, not an error. */
export const DRY_RUN_EXPRESSION = 'has(request.dryRun) && request.dryRun == true';

/** True for requests of a user in `group`. */
export function groupExpression(group: string): string {
  return `has(request.userInfo.groups) && ${quote(group)} in request.userInfo.groups`;
}

/**
 * True for requests that are none of the group's real writes, or undefined when it
 * has none. Each rule becomes one clause that matches what RBAC would allow with it:
 * its groups, resources (no subresource), the operations of its write verbs, its
 * namespace (none for cluster rules, like a ClusterRoleBinding) and its names.
 */
export function outsideRealWritesExpression(w: RealWrites): string | undefined {
  const clauses: string[] = [];
  if (w.namespaces?.length) {
    clauses.push(`(has(request.namespace) && request.namespace in ${list(w.namespaces)} && !(request.resource.group == '' && request.resource.resource == 'namespaces'))`);
  }
  for (const [namespace, rules] of Object.entries(w.namespaceRules ?? {})) {
    for (const rule of rules) pushDefined(clauses, ruleClause(rule, namespace));
  }
  for (const rule of w.clusterRules ?? []) pushDefined(clauses, ruleClause(rule));
  return clauses.length ? `!(\n  ${clauses.join('\n  || ')}\n)` : undefined;
}

function ruleClause(rule: AccessRule, namespace?: string): string | undefined {
  const operations = [...new Set(rule.verbs.flatMap((v) => VERB_OPERATIONS[v] ?? []))];
  if (!operations.length) return undefined;
  const sub = rule.resources.find((r) => r.includes('/'));
  if (sub) throw new ManifestError(`real writes: "${sub}" is a subresource, which the dry-run policy cannot let through yet: grant it in a namespace listed in realWrites.namespaces, or extend policy-expressions.ts`);
  const parts = [
    ...(namespace ? [`has(request.namespace) && request.namespace == ${quote(namespace)}`] : []),
    `request.resource.group in ${list(rule.apiGroups)}`,
    `request.resource.resource in ${list(rule.resources)}`,
    '!has(request.subResource)',
    `request.operation in ${list(operations)}`,
    ...(rule.resourceNames ? [`has(request.name) && request.name in ${list(rule.resourceNames)}`] : []),
  ];
  return `(${parts.join(' && ')})`;
}

/** A CEL string literal of a Kubernetes name, group or verb (never holds a quote or backslash). */
function quote(value: string): string {
  if (!/^[A-Za-z0-9.:_-]*$/.test(value)) throw new ManifestError(`"${value}" cannot be quoted in the policy's CEL: names, groups and verbs hold only letters, digits and . : _ -`);
  return `'${value}'`;
}

const list = (values: readonly string[]) => `[${values.map(quote).join(', ')}]`;

function pushDefined(to: string[], value: string | undefined): void {
  if (value !== undefined) to.push(value);
}
