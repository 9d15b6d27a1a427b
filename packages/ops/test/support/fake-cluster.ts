import { HARBOR_RELEASE, type EnvironmentPlan } from '@harbor-platform/config';
import { MINIO_HARBOR_USER_SECRET, MINIO_ROOT_KEYS, MINIO_ROOT_SECRET } from '@harbor-platform/manifests';
import { parse } from 'yaml';
import { FakeKube, type FakeClock } from './fakes.js';
import { veleroRestoreItem } from './velero-patch.js';
import type { CustomResourceType, JobState, NamespacedObject, PodState, WorkloadState } from '../../src/kube/api.js';
import type { RenderedObject } from '../../src/steps/rendered-object.js';
import { MODIFIERS_KEY, type ModifierRule } from '../../src/velero/modifiers.js';
import type { VeleroRestore } from '../../src/velero/types.js';

/** An object as the fake stores it. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** The group/resource Velero names a kind by (what modifier rules and excludedResources match). */
const GROUP_RESOURCE: Record<string, string> = {
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
  ReplicaSet: 'replicasets.apps',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Service: 'services',
  Pod: 'pods',
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
  Ingress: 'ingresses.networking.k8s.io',
  Job: 'jobs.batch',
  CronJob: 'cronjobs.batch',
  PodDisruptionBudget: 'poddisruptionbudgets.policy',
};
export const groupResourceOf = (kind: string) => GROUP_RESOURCE[kind] ?? `${kind.toLowerCase()}s`;

/** Velero never restores a Job that had completed or a Pod that had ended (pkg/restore isCompleted, 1.18.1). */
const completed = (o: StoredObject) => {
  const status = o.status as { completionTime?: string; phase?: string } | undefined;
  return (o.kind === 'Job' && Boolean(status?.completionTime)) || (o.kind === 'Pod' && ['Succeeded', 'Failed'].includes(status?.phase ?? ''));
};

/** When a restored workload's pods are ready, counted from the moment Velero created it; `never` leaves one pod unready. */
export type Readiness = { readyAfterMs: number } | 'never';
/** How a Job ends, counted from its creation. */
export type JobBehaviour = { succeedAfterMs: number } | { failAfterMs: number; reason: string; message: string };

/** The controllers observe a new spec this long after its creation. */
const OBSERVE_MS = 2_000;

/**
 * A cluster in which a Velero Restore creates the backed-up objects (Velero's modifier
 * rules applied as Velero 1.18.1 applies them, namespaces mapped, excluded resources
 * left out, Secrets copied), and the objects then come up on the fake clock: a
 * Deployment or StatefulSet is first unobserved, then observed with no pod ready,
 * then ready after its `readiness` delay; a Job runs, then succeeds or fails as
 * `jobBehaviour` says. Deleting a namespace drops everything in it.
 */
export class FakeCluster extends FakeKube {
  /** The objects in the backup (of the backed-up namespaces), as stored. */
  backup: StoredObject[] = [];
  /** The Secrets in the backup: `namespace/name` -> data. */
  backupSecrets: Record<string, Record<string, string>> = {};
  readonly objects = new Map<string, StoredObject & { createdAt: number; scaled?: { at: number; from: number; generation: number } }>();

  constructor(readonly clock: FakeClock) {
    super();
  }

  readiness: (w: StoredObject) => Readiness = () => ({ readyAfterMs: 3 * 60_000 });
  jobBehaviour: (job: StoredObject) => JobBehaviour = () => ({ succeedAfterMs: 45_000 });
  /** How long a pod of a StatefulSet scaled down takes to go, from the scale; `never` when it never terminates (a finalizer, a node gone). */
  podTermination: (pod: string) => number | 'never' = () => 40_000;

  override async createCustom<T>(t: CustomResourceType, ns: string, body: T): Promise<T> {
    const out = await super.createCustom(t, ns, body);
    if (t.plural === 'restores') this.runRestore(body as VeleroRestore);
    return out;
  }

  private runRestore(r: VeleroRestore) {
    const mapping = r.spec.namespaceMapping ?? {};
    const included = r.spec.includedNamespaces ?? [];
    for (const ns of included) this.namespaces.add(mapping[ns] ?? ns);
    const modifiers = r.spec.resourceModifier && this.configMaps.get(`${r.metadata.namespace}/${r.spec.resourceModifier.name}`);
    const rules: ModifierRule[] = modifiers ? parse(modifiers.data[MODIFIERS_KEY]!).resourceModifierRules : [];
    const excluded = new Set(r.spec.excludedResources ?? []);
    for (const o of this.backup) {
      const gr = groupResourceOf(o.kind);
      if (!included.includes(o.metadata.namespace) || excluded.has(gr) || completed(o)) continue;
      const restored = veleroRestoreItem(rules, gr, o);
      this.put({ ...restored, metadata: { ...restored.metadata, namespace: mapping[o.metadata.namespace] ?? o.metadata.namespace } });
    }
    for (const [key, data] of Object.entries(this.backupSecrets)) {
      const [ns, name] = key.split('/') as [string, string];
      if (included.includes(ns)) this.secrets[`${mapping[ns] ?? ns}/${name}`] = { ...data };
    }
  }

  private put(o: StoredObject) {
    const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (this.objects.has(key)) throw Object.assign(new Error(`${o.kind} ${o.metadata.namespace}/${o.metadata.name} already exists`), { code: 409 });
    this.objects.set(key, { ...structuredClone(o), createdAt: this.clock.now() });
  }

  private inNamespace(kind: string, ns: string) {
    return [...this.objects.values()].filter((o) => o.kind === kind && o.metadata.namespace === ns);
  }

  override async namespaceExists(name: string): Promise<boolean> {
    const exists = await super.namespaceExists(name);
    if (!exists) {
      for (const [k, o] of this.objects) if (o.metadata.namespace === name) this.objects.delete(k);
      for (const k of Object.keys(this.secrets)) if (k.startsWith(`${name}/`)) delete this.secrets[k];
    }
    return exists;
  }

  override async listWorkloads(namespace: string): Promise<WorkloadState[]> {
    return [...this.inNamespace('Deployment', namespace), ...this.inNamespace('StatefulSet', namespace)].map((o) => {
      // A scaled workload comes up again as a created one does, counted from the scale.
      const age = this.clock.now() - (o.scaled?.at ?? o.createdAt);
      const generation = o.scaled?.generation ?? 1;
      const replicas = (o as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
      const r = this.readiness(o);
      const readyReplicas = r === 'never' ? Math.max(0, replicas - 1) : age >= r.readyAfterMs ? replicas : 0;
      const observed = age >= OBSERVE_MS;
      return { kind: o.kind as WorkloadState['kind'], namespace, name: o.metadata.name, replicas, readyReplicas: observed ? readyReplicas : 0, generation, observedGeneration: observed ? generation : generation - 1 };
    });
  }

  override async scaleStatefulSet(namespace: string, name: string, replicas: number): Promise<void> {
    this.calls.push(`scale statefulset ${namespace}/${name} to ${replicas}`);
    const o = this.objects.get(`StatefulSet/${namespace}/${name}`);
    if (!o) throw Object.assign(new Error(`statefulsets.apps "${name}" not found`), { code: 404 });
    const spec = (o.spec ??= {}) as { replicas?: number };
    o.scaled = { at: this.clock.now(), from: spec.replicas ?? 1, generation: (o.scaled?.generation ?? 1) + 1 };
    spec.replicas = replicas;
  }

  /** Pods `<name>-<ordinal>`: the wanted ones (ready as `readiness` says), and those above it still terminating. */
  override async statefulSetPods(namespace: string, name: string): Promise<PodState[]> {
    const o = this.objects.get(`StatefulSet/${namespace}/${name}`);
    if (!o) return [];
    const replicas = (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    const ready = (await this.listWorkloads(namespace)).find((w) => w.name === name)!.readyReplicas;
    const pods: PodState[] = Array.from({ length: replicas }, (_, i) => ({ name: `${name}-${i}`, ready: i < ready, terminating: false }));
    for (let i = replicas; o.scaled && i < o.scaled.from; i++) {
      const t = this.podTermination(`${name}-${i}`);
      if (t === 'never' || this.clock.now() - o.scaled.at < t) pods.push({ name: `${name}-${i}`, ready: false, terminating: true });
    }
    return pods;
  }

  override async listJobs(namespace: string, labelSelector: string): Promise<JobState[]> {
    const wanted = labelSelector.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]);
    return this.inNamespace('Job', namespace)
      .filter((j) => wanted.every(([k, v]) => j.metadata.labels?.[k] === v))
      .map((j) => {
        const age = this.clock.now() - j.createdAt;
        const b = this.jobBehaviour(j);
        const base = { namespace, name: j.metadata.name };
        if ('succeedAfterMs' in b && age >= b.succeedAfterMs) return { ...base, active: 0, succeeded: 1, failed: 0, conditions: [{ type: 'Complete', status: 'True' }] };
        if ('failAfterMs' in b && age >= b.failAfterMs) return { ...base, active: 0, succeeded: 0, failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: b.reason, message: b.message }] };
        return { ...base, active: 1, succeeded: 0, failed: 'failAfterMs' in b ? Math.floor(age / (b.failAfterMs / 7)) : 0, conditions: [] };
      });
  }

  override async createObject(body: NamespacedObject): Promise<void> {
    this.calls.push(`create ${body.kind} ${body.metadata.namespace}/${body.metadata.name}`);
    if (!this.namespaces.has(body.metadata.namespace)) throw Object.assign(new Error(`namespaces "${body.metadata.namespace}" not found`), { code: 404 });
    this.put(body as unknown as StoredObject);
  }

  override async listObjects<T>(apiVersion: string, kind: string, namespace: string): Promise<T[]> {
    return this.inNamespace(kind, namespace).filter((o) => o.apiVersion === apiVersion).map(({ createdAt: _c, ...o }) => structuredClone(o) as T);
  }
}

/**
 * Harbor's objects as chart 1.19.1 renders them with this platform's values, trimmed to what
 * the drill touches: the registry Deployment (registry and registryctl containers), core's
 * ConfigMap (EXT_ENDPOINT), and the components that talk to the database or Redis.
 */
export function harborObjects(ns: string, publicUrl: string): StoredObject[] {
  const envFrom = [{ secretRef: { name: `${HARBOR_RELEASE}-registry` } }, { secretRef: { name: 'harbor-registry-s3' } }];
  const deployment = (component: string, containers: object[]): StoredObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${HARBOR_RELEASE}-${component}`, namespace: ns, labels: { app: 'harbor', component } },
    spec: { replicas: 1, template: { spec: { containers } } },
  });
  return [
    deployment('registry', [
      { name: 'registry', image: 'docker.io/goharbor/registry-photon:v2.15.1', args: ['serve', '/etc/registry/config.yml'], envFrom, env: [{ name: 'REGISTRY_HTTP_SECRET', valueFrom: { secretKeyRef: { name: 'harbor-internal', key: 'REGISTRY_HTTP_SECRET' } } }] },
      { name: 'registryctl', image: 'docker.io/goharbor/harbor-registryctl:v2.15.1', envFrom, env: [{ name: 'CORE_SECRET', valueFrom: { secretKeyRef: { name: 'harbor-internal', key: 'secret' } } }] },
    ]),
    ...['core', 'jobservice', 'portal'].map((c) => deployment(c, [{ name: c, image: `docker.io/goharbor/harbor-${c}:v2.15.1` }])),
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: `${HARBOR_RELEASE}-trivy`, namespace: ns }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'trivy', image: 'docker.io/goharbor/trivy-adapter-photon:v2.15.1' }] } } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${HARBOR_RELEASE}-core`, namespace: ns }, data: { EXT_ENDPOINT: publicUrl, CORE_URL: 'http://harbor-core:80', REGISTRY_URL: 'http://harbor-registry:5000' } },
  ];
}

/**
 * A backup of the environment as the scheduled backups take it: the rendered platform objects of
 * Harbor's and MinIO's namespaces, Harbor's chart objects, the synced Secrets.
 */
export function environmentBackup(plan: EnvironmentPlan, manifests: RenderedObject[]): { objects: StoredObject[]; secrets: FakeCluster['backupSecrets'] } {
  const namespaces = [plan.harbor.namespace, plan.minio.namespace];
  const backedUp = manifests.filter((o) => o.metadata.namespace && namespaces.includes(o.metadata.namespace));
  const platform = structuredClone(backedUp) as unknown as StoredObject[];
  // The deployed provisioning Job had run to completion long before the backup.
  for (const job of platform.filter((o) => o.kind === 'Job')) job.status = { succeeded: 1, completionTime: '2026-11-20T10:02:31Z' };
  return {
    objects: [...platform, ...harborObjects(plan.harbor.namespace, plan.harbor.url)],
    secrets: {
      [`${plan.minio.namespace}/${MINIO_ROOT_SECRET}`]: { [MINIO_ROOT_KEYS.user]: 'root-from-secrets-manager', [MINIO_ROOT_KEYS.password]: 'root-password-from-secrets-manager' },
      [`${plan.minio.namespace}/${MINIO_HARBOR_USER_SECRET}`]: { accessKey: 'harbor-from-secrets-manager', secretKey: 'harbor-secret-from-secrets-manager' },
    },
  };
}
