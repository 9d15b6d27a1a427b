/** A namespaced custom resource type, such as Velero's `restores`. */
export interface CustomResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
}

/** A ConfigMap to create or replace. */
export interface ConfigMapBody {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  data: Record<string, string>;
}

/** A PersistentVolume as clean-up needs to see it. */
export interface VolumeInfo {
  readonly name: string;
  /** Namespace of the claim bound to it, if any. */
  readonly claimNamespace?: string;
  readonly reclaimPolicy?: string;
}

/** A local TCP port forwarded to a Service's pod; close it when done. */
export interface Forward {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** A Deployment or StatefulSet as the readiness wait sees it (spec and status counts). */
export interface WorkloadState {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas (Kubernetes defaults it to 1). */
  readonly replicas: number;
  /** status.readyReplicas (absent = 0). */
  readonly readyReplicas: number;
  /** metadata.generation: the spec's version. */
  readonly generation: number;
  /** status.observedGeneration: the spec version the controller has acted on (absent = 0). */
  readonly observedGeneration: number;
}

/** A pod of a StatefulSet, as the AZ-loss drill waits on it. */
export interface PodState {
  readonly name: string;
  /** The Ready condition is True. */
  readonly ready: boolean;
  /** metadata.deletionTimestamp is set: the pod is going (grace period, finalizers). */
  readonly terminating: boolean;
}

/** A batch/v1 Job's status, as the provisioning waits read it. */
export interface JobState {
  readonly namespace: string;
  readonly name: string;
  readonly active: number;
  readonly succeeded: number;
  readonly failed: number;
  /** status.conditions: Complete or Failed (True) end the Job; reason and message say why. */
  readonly conditions: { type: string; status: string; reason?: string; message?: string }[];
}

/** A namespaced object to create (the drill's provisioning Job and its ConfigMap). */
export interface NamespacedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

/**
 * The Kubernetes operations the drill and restore need, and nothing more. The real one
 * is `ClientNodeKube` (@kubernetes/client-node); tests pass an in-memory fake.
 */
export interface KubeApi {
  getCustom<T>(type: CustomResourceType, namespace: string, name: string): Promise<T | undefined>;
  listCustom<T>(type: CustomResourceType, namespace: string, labelSelector?: string): Promise<T[]>;
  createCustom<T>(type: CustomResourceType, namespace: string, body: T): Promise<T>;
  deleteCustom(type: CustomResourceType, namespace: string, name: string): Promise<void>;
  /** Creates the ConfigMap, or replaces it when it exists. */
  applyConfigMap(body: ConfigMapBody): Promise<void>;
  deleteConfigMap(namespace: string, name: string): Promise<void>;
  /** A Secret's data, decoded; undefined when it does not exist. */
  readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  namespaceExists(name: string): Promise<boolean>;
  /** Deletes a namespace; a missing one is not an error. */
  deleteNamespace(name: string): Promise<void>;
  listVolumes(): Promise<VolumeInfo[]>;
  deleteVolume(name: string): Promise<void>;
  /** Makes Kubernetes delete the volume's disk with the volume (a Retain policy would leave it behind). */
  setReclaimDelete(name: string): Promise<void>;
  /** Forwards a local port (`localPort`, or any free one) to container `port` of a ready pod behind the Service. */
  forwardService(namespace: string, service: string, port: number, localPort?: number): Promise<Forward>;
  /** Every Deployment and StatefulSet of a namespace, with its replica counts. */
  listWorkloads(namespace: string): Promise<WorkloadState[]>;
  /** The Jobs of a namespace that match a label selector (`k=v,k2=v2`). */
  listJobs(namespace: string, labelSelector: string): Promise<JobState[]>;
  /** Creates a namespaced object of any kind; an existing one is an error (HTTP 409). */
  createObject(body: NamespacedObject): Promise<void>;
  /**
   * The objects of one kind in a namespace, as stored (`apiVersion` such as `apps/v1`,
   * `kind` such as `Deployment`): what the drill reads back after a restore.
   */
  listObjects<T = Record<string, unknown>>(apiVersion: string, kind: string, namespace: string): Promise<T[]>;
  /** Sets a StatefulSet's spec.replicas through its scale subresource. */
  scaleStatefulSet(namespace: string, name: string, replicas: number): Promise<void>;
  /** The pods a StatefulSet owns (its selector, owned by it), terminating ones included. */
  statefulSetPods(namespace: string, name: string): Promise<PodState[]>;
}
