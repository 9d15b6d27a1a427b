import { createServer, type AddressInfo } from 'node:net';
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, PortForward, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { KubeError } from '../errors.js';
import type { ConfigMapBody, CustomResourceType, Forward, JobState, KubeApi, NamespacedObject, PodState, VolumeInfo, WorkloadState } from './api.js';
import { loadKubeconfig } from './kubeconfig.js';
import { notFound, readSecretData } from './secret-data.js';

const alreadyExists = (err: unknown) => (err as { code?: number })?.code === 409;

async function ignore404(op: Promise<unknown>): Promise<void> {
  try {
    await op;
  } catch (err) {
    if (!notFound(err)) throw err;
  }
}

/** KubeApi over @kubernetes/client-node with the current kubeconfig context. */
export class ClientNodeKube implements KubeApi {
  /** The kubeconfig kubectl would use ($KUBECONFIG or ~/.kube/config, or in-cluster); see {@link loadKubeconfig}. */
  static defaultConfig(): KubeConfig {
    return loadKubeconfig();
  }

  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly objects: KubernetesObjectApi;

  constructor(private readonly kc: KubeConfig = ClientNodeKube.defaultConfig()) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.batch = kc.makeApiClient(BatchV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
  }

  async listWorkloads(namespace: string): Promise<WorkloadState[]> {
    const [deployments, statefulSets] = await Promise.all([
      this.apps.listNamespacedDeployment({ namespace }),
      this.apps.listNamespacedStatefulSet({ namespace }),
    ]);
    type Workload = (typeof deployments.items)[number] | (typeof statefulSets.items)[number];
    const state = (kind: WorkloadState['kind'], o: Workload): WorkloadState => ({
      kind,
      namespace,
      name: o.metadata!.name!,
      replicas: o.spec?.replicas ?? 1,
      readyReplicas: o.status?.readyReplicas ?? 0,
      generation: o.metadata?.generation ?? 0,
      observedGeneration: o.status?.observedGeneration ?? 0,
    });
    return [...deployments.items.map((d) => state('Deployment', d)), ...statefulSets.items.map((s) => state('StatefulSet', s))];
  }

  async listJobs(namespace: string, labelSelector: string): Promise<JobState[]> {
    const jobs = await this.batch.listNamespacedJob({ namespace, labelSelector });
    return jobs.items.map((j) => ({
      namespace,
      name: j.metadata!.name!,
      active: j.status?.active ?? 0,
      succeeded: j.status?.succeeded ?? 0,
      failed: j.status?.failed ?? 0,
      conditions: (j.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    }));
  }

  async scaleStatefulSet(namespace: string, name: string, replicas: number): Promise<void> {
    await this.apps.patchNamespacedStatefulSetScale({ name, namespace, body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }

  async statefulSetPods(namespace: string, name: string): Promise<PodState[]> {
    const sts = await this.apps.readNamespacedStatefulSet({ name, namespace });
    const labelSelector = Object.entries(sts.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    if (!labelSelector) throw new KubeError(`statefulset ${namespace}/${name} has no matchLabels selector`);
    const pods = await this.core.listNamespacedPod({ namespace, labelSelector });
    return pods.items
      .filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'StatefulSet' && o.name === name))
      .map((p) => ({
        name: p.metadata!.name!,
        ready: Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
        terminating: Boolean(p.metadata?.deletionTimestamp),
      }));
  }

  async createObject(body: NamespacedObject): Promise<void> {
    await this.objects.create(body as unknown as KubernetesObject);
  }

  async listObjects<T = Record<string, unknown>>(apiVersion: string, kind: string, namespace: string): Promise<T[]> {
    return (await this.objects.list(apiVersion, kind, namespace)).items as T[];
  }

  async getCustom<T>(t: CustomResourceType, namespace: string, name: string): Promise<T | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...t, namespace, name })) as T;
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  async listCustom<T>(t: CustomResourceType, namespace: string, labelSelector?: string): Promise<T[]> {
    const list = (await this.custom.listNamespacedCustomObject({ ...t, namespace, labelSelector })) as { items?: T[] };
    return list.items ?? [];
  }

  async createCustom<T>(t: CustomResourceType, namespace: string, body: T): Promise<T> {
    return (await this.custom.createNamespacedCustomObject({ ...t, namespace, body })) as T;
  }

  deleteCustom(t: CustomResourceType, namespace: string, name: string): Promise<void> {
    return ignore404(this.custom.deleteNamespacedCustomObject({ ...t, namespace, name }));
  }

  async applyConfigMap(body: ConfigMapBody): Promise<void> {
    const { name, namespace } = body.metadata;
    try {
      await this.core.createNamespacedConfigMap({ namespace, body });
    } catch (err) {
      if (!alreadyExists(err)) throw err;
      await this.core.replaceNamespacedConfigMap({ name, namespace, body });
    }
  }

  deleteConfigMap(namespace: string, name: string): Promise<void> {
    return ignore404(this.core.deleteNamespacedConfigMap({ name, namespace }));
  }

  readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    return readSecretData(this.core, namespace, name);
  }

  async namespaceExists(name: string): Promise<boolean> {
    try {
      await this.core.readNamespace({ name });
      return true;
    } catch (err) {
      if (notFound(err)) return false;
      throw err;
    }
  }

  deleteNamespace(name: string): Promise<void> {
    return ignore404(this.core.deleteNamespace({ name, propagationPolicy: 'Foreground' }));
  }

  async listVolumes(): Promise<VolumeInfo[]> {
    const list = await this.core.listPersistentVolume();
    return list.items.map((pv) => ({
      name: pv.metadata!.name!,
      claimNamespace: pv.spec?.claimRef?.namespace,
      reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy,
    }));
  }

  deleteVolume(name: string): Promise<void> {
    return ignore404(this.core.deletePersistentVolume({ name }));
  }

  async setReclaimDelete(name: string): Promise<void> {
    await this.core.patchPersistentVolume(
      { name, body: { spec: { persistentVolumeReclaimPolicy: 'Delete' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  async forwardService(namespace: string, service: string, port: number, localPort = 0): Promise<Forward> {
    const svc = await this.core.readNamespacedService({ name: service, namespace });
    const selector = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    if (!selector) throw new KubeError(`service ${namespace}/${service} has no selector to forward to`);
    const pods = await this.core.listNamespacedPod({ namespace, labelSelector: selector });
    const pod = pods.items.find((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (!pod) throw new KubeError(`no ready pod behind service ${namespace}/${service}`);
    const forward = new PortForward(this.kc);
    const server = createServer((socket) => {
      forward.portForward(namespace, pod.metadata!.name!, [port], socket, null, socket).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(localPort, '127.0.0.1', resolve));
    const local = (server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${local}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
}
