import { HARBOR_RELEASE, type EnvironmentPlan } from '@harbor-platform/config';
import type { RenderedObject } from '../steps/rendered-object.js';
import { containerEnvPatch, type ModifierPatch, type ModifierRule } from '../velero/modifiers.js';

/** The namespace label Kubernetes sets on every namespace; network policies select peers by it. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Kinds whose restored copies must be re-pointed, with the group/resource Velero matches. */
const REWRITTEN: Record<string, string> = {
  // MinIO's command line names every peer as <pod>.<headless>.<namespace>.svc.cluster.local.
  StatefulSet: 'statefulsets.apps',
  // Peers are admitted by namespace name: the drill's pods must admit (and reach) each other.
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
};

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * JSON patches that move one object to the drill: every in-cluster DNS name of a mapped
 * namespace (`.<ns>.svc`) and every namespace selector on `kubernetes.io/metadata.name`
 * naming a mapped namespace is replaced, each guarded by a `test` of the value it
 * replaces, so Velero fails the item loudly instead of patching a changed object.
 */
export function namespacePatches(obj: unknown, mapping: Record<string, string>): ModifierPatch[] {
  const patches: ModifierPatch[] = [];
  const dns = Object.entries(mapping).map(([from, to]) => [new RegExp(`\\.${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.svc(?=[.:/]|$)`, 'g'), `.${to}.svc`] as const);
  const visit = (value: unknown, path: string, key?: string, parentKey?: string) => {
    if (typeof value === 'string') {
      let next = value;
      if (key === NAMESPACE_NAME_LABEL && parentKey === 'matchLabels' && mapping[value]) next = mapping[value];
      else for (const [re, to] of dns) next = next.replace(re, to);
      if (next !== value) patches.push({ operation: 'test', path, value }, { operation: 'replace', path, value: next });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}/${i}`, undefined, key));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (k !== 'metadata' || path !== '') visit(v, `${path}/${escapePointer(k)}`, k, key);
    }
  };
  visit(obj, '');
  return patches;
}

/**
 * Rules that keep the restored MinIO and its network policies inside the drill: derived
 * from the objects the platform deploys (packages/manifests), so a change of the charts
 * changes the patches with them. Only objects of mapped namespaces that need a rewrite.
 */
export function drillIsolationRules(objects: RenderedObject[], mapping: Record<string, string>): ModifierRule[] {
  const rules: ModifierRule[] = [];
  for (const o of objects) {
    const groupResource = REWRITTEN[o.kind];
    if (!groupResource || !o.metadata.namespace || !mapping[o.metadata.namespace]) continue;
    const patches = namespacePatches(o, mapping);
    // Velero matches `namespaces` against the backup's namespace: two namespaces may hold objects of one name.
    if (patches.length) rules.push({ conditions: { groupResource, resourceNameRegex: `^${o.metadata.name}$`, namespaces: [o.metadata.namespace] }, patches });
  }
  return rules;
}

/**
 * Harbor components that open Harbor's database or Redis (chart 1.19.1: core, jobservice,
 * exporter, trivy; portal only serves the UI and calls core, so it goes with core). With an
 * external database or Redis the restored copies would connect to production's RDS and
 * ElastiCache (their endpoints and credentials are restored with them): core would run
 * migrations and jobservice would pick up production's job queue. So such a drill restores
 * Harbor's registry alone and proves the registry data through the distribution API (which
 * is what verify reads); the rest is restored scaled to zero and never starts.
 */
export const DATABASE_CLIENTS = { deployments: ['core', 'jobservice', 'exporter', 'portal'], statefulSets: ['trivy'] } as const;

/** True when the drill must not start the components that talk to the database or Redis. */
export function registryOnlyDrill(plan: EnvironmentPlan): boolean {
  return plan.harbor.database === 'external' || plan.harbor.redis === 'external';
}

/**
 * Scale the database and Redis clients to zero, and cut the registry's own Redis use: the
 * chart points the registry's blob-descriptor cache at Redis (database index 2); these
 * variables override the config file (distribution reads REGISTRY_* over it), so the
 * cache is in memory and no Redis address is configured at all.
 */
export function registryOnlyRules(release: string = HARBOR_RELEASE): ModifierRule[] {
  const names = (list: readonly string[]) => `^${release}-(${list.join('|')})$`;
  const scaledToZero: ModifierPatch[] = [{ operation: 'add', path: '/spec/replicas', value: '0' }];
  const cacheInMemory = [
    { name: 'REGISTRY_STORAGE_CACHE_LAYERINFO', value: 'inmemory' },
    { name: 'REGISTRY_REDIS_ADDR', value: '' },
  ];
  return [
    { conditions: { groupResource: 'deployments.apps', resourceNameRegex: names(DATABASE_CLIENTS.deployments) }, patches: scaledToZero },
    { conditions: { groupResource: 'statefulsets.apps', resourceNameRegex: names(DATABASE_CLIENTS.statefulSets) }, patches: scaledToZero },
    { conditions: { groupResource: 'deployments.apps', resourceNameRegex: `^${release}-registry$` }, strategicPatches: [containerEnvPatch({ registry: cacheInMemory, registryctl: cacheInMemory })] },
  ];
}
