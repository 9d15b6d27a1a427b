import type { RenderedObject } from '@harbor-platform/config';
import { ManifestError } from '../errors.js';
import { apiResourceOf } from './api-resources.js';

/** One RBAC rule, as in a Role or ClusterRole. */
export interface AccessRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Only these objects (not possible for `create` and `list`). @default every object */
  readonly resourceNames?: readonly string[];
}

/** Rules per namespace (Roles) and on cluster-scoped kinds (a ClusterRole). */
export interface AccessRules {
  readonly namespaceRules: Record<string, AccessRule[]>;
  readonly clusterRules: AccessRule[];
}

/**
 * What `kubectl diff` asks of the API server: it reads each object (get; list
 * with a selector), then sends it as a server-side dry run, a patch when the
 * object exists and a create when it does not.
 */
export const DIFF_VERBS: readonly string[] = ['get', 'list', 'patch', 'create'];

/**
 * The RBAC rules `kubectl diff` of `objects` needs: DIFF_VERBS on exactly their
 * kinds, in exactly their namespaces (cluster-scoped kinds in the cluster rules),
 * one rule per API group with its resources sorted. Names are not used: `create`
 * and `list` cannot be narrowed by name, and the verbs are for dry runs only
 * (see DryRunOnlyPolicyChart).
 */
export function diffRules(objects: readonly RenderedObject[]): AccessRules {
  const cluster = new Map<string, Set<string>>();
  const namespaced = new Map<string, Map<string, Set<string>>>();
  for (const o of objects) {
    const r = apiResourceOf(o.apiVersion, o.kind);
    const where = `${o.kind} ${o.metadata?.name ?? '(unnamed)'}`;
    const namespace = o.metadata?.namespace;
    if (r.namespaced && !namespace) {
      throw new ManifestError(`${where}: a namespaced kind without metadata.namespace: kubectl diff would compare it in the kubeconfig's namespace; set the chart's namespace`);
    }
    if (!r.namespaced && namespace) throw new ManifestError(`${where}: ${o.kind} is cluster-scoped but has metadata.namespace "${namespace}": remove it`);
    const groups = namespace ? getOrAdd(namespaced, namespace, () => new Map()) : cluster;
    getOrAdd(groups, r.group, () => new Set()).add(r.resource);
  }
  const toRules = (groups: Map<string, Set<string>>): AccessRule[] =>
    [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, resources]) => ({ apiGroups: [group], resources: [...resources].sort(), verbs: [...DIFF_VERBS] }));
  const namespaceRules: Record<string, AccessRule[]> = {};
  for (const ns of [...namespaced.keys()].sort()) namespaceRules[ns] = toRules(namespaced.get(ns)!);
  return { namespaceRules, clusterRules: toRules(cluster) };
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
