import type { EnvironmentPlan } from '@harbor-platform/config';
import type { RenderedObject } from './rendered-object.js';
import { DrillError } from '../errors.js';
import type { KubeApi, NamespacedObject } from '../kube/api.js';
import { waitForJobs } from '../kube/jobs.js';
import type { WaitOptions } from '../velero/wait.js';

/** A provisioning run: the script ConfigMap and the Job that runs it. */
export interface Provisioning {
  readonly configMap: NamespacedObject;
  readonly job: NamespacedObject;
}

/** Where a provisioning run goes and what it is for. */
export interface ProvisioningTarget {
  /** The namespace of the MinIO to provision (the drill's, or the live one after a restore). */
  readonly namespace: string;
  /** That MinIO's in-cluster S3 endpoint. */
  readonly endpoint: string;
  /** `drill` or `restore`: the names' suffix and the `harbor-platform/purpose` label's value. */
  readonly purpose: 'drill' | 'restore';
}

/** The label that finds this tool's own provisioning Job (and only it) in the namespace. */
export const provisioningLabel = (purpose: ProvisioningTarget['purpose']) => ({ 'harbor-platform/purpose': `${purpose}-provisioning` });

/** A label map as a selector, `k=v,k2=v2`. */
export const selectorOf = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface JobShape {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: { template: { spec: { containers: { name: string; env?: EnvVar[] }[]; volumes?: { name: string; configMap?: { name: string } }[] } } };
}


/**
 * The provisioning Job the platform deploys (MinioProvisioningChart: bucket, Harbor's
 * user, its policy) and its script ConfigMap, for a MinIO whose drives are empty after a
 * restore (Velero never restores them, and it skips Jobs that had completed, so the
 * deployed Job does not come back): the same script, image, policy and pod labels (the
 * restored network policies admit it by them), MINIO_ENDPOINT set to the target, the
 * Secrets read by name in the target namespace, where Velero restored them. Both names
 * get a `-<purpose>` suffix, since the restore may have brought the ConfigMap of the
 * deployed name along. Throws when the manifests hold no such Job (a renamed chart must
 * not skip provisioning), or several (which one provisions could not be told).
 */
export function provisioningObjects(manifests: RenderedObject[], plan: EnvironmentPlan, target: ProvisioningTarget): Provisioning {
  const { namespace: drillNamespace, endpoint: drillEndpoint } = target;
  // The platform deploys one Job into MinIO's namespace: the provisioning (MinioProvisioningChart).
  const jobs = manifests.filter((o) => o.kind === 'Job' && o.metadata.namespace === plan.minio.namespace);
  if (jobs.length !== 1) throw new DrillError(`expected one provisioning Job in the manifests of namespace ${plan.minio.namespace}, found ${jobs.length}${jobs.length ? ` (${jobs.map((j) => j.metadata.name).join(', ')})` : ''}`);
  const rendered = jobs[0] as RenderedObject & JobShape;
  const job = structuredClone(rendered) as unknown as JobShape & NamespacedObject;
  const podSpec = job.spec.template.spec;
  const configVolume = podSpec.volumes?.find((v) => v.configMap);
  const source = configVolume && manifests.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === plan.minio.namespace && o.metadata.name === configVolume.configMap?.name);
  if (!configVolume || !source) throw new DrillError(`the provisioning Job ${rendered.metadata.name} mounts no ConfigMap of the manifests (its script)`);
  const configMap = { ...structuredClone(source), metadata: { ...source.metadata, name: `${source.metadata.name}-${target.purpose}`, namespace: drillNamespace } } as NamespacedObject;
  configVolume.configMap!.name = configMap.metadata.name;
  for (const c of podSpec.containers) for (const e of c.env ?? []) if (e.name === 'MINIO_ENDPOINT') e.value = drillEndpoint;
  if (!podSpec.containers.some((c) => c.env?.some((e) => e.name === 'MINIO_ENDPOINT' && e.value === drillEndpoint))) {
    throw new DrillError(`the provisioning Job ${rendered.metadata.name} has no MINIO_ENDPOINT variable to point at ${drillEndpoint}`);
  }
  const body = {
    ...job,
    metadata: { ...job.metadata, name: `${rendered.metadata.name}-${target.purpose}`, namespace: drillNamespace, labels: { ...job.metadata.labels, ...provisioningLabel(target.purpose) } },
  } as NamespacedObject;
  return { configMap, job: body };
}

/** Every Secret key the Job's containers read (`valueFrom.secretKeyRef`). */
export function secretRefsOf(job: NamespacedObject): { secret: string; key: string }[] {
  const spec = (job as unknown as JobShape).spec.template.spec;
  const refs = spec.containers.flatMap((c) => (c.env ?? []).map((e) => e.valueFrom?.secretKeyRef));
  return refs.filter((r) => r !== undefined).map((r) => ({ secret: r.name, key: r.key }));
}

/**
 * Provisions a restored MinIO (empty drives: no bucket, user or policy) as the deploy
 * does: checks that the restored Secrets the Job reads (root credentials, Harbor's
 * user) hold their keys, creates the script ConfigMap and the Job, and waits for the
 * Job to succeed. Throws naming the missing Secret key, or the failed Job and
 * Kubernetes' reason, or the Job still running at the deadline.
 */
export async function provisionMinio(kube: KubeApi, objects: Provisioning, o: WaitOptions): Promise<void> {
  const ns = objects.job.metadata.namespace;
  for (const ref of secretRefsOf(objects.job)) {
    const secret = await kube.readSecret(ns, ref.secret);
    if (!secret?.[ref.key]) throw new DrillError(`secret ${ns}/${ref.secret} was not restored with key ${ref.key}, which the provisioning Job reads`);
  }
  o.progress?.(`provisioning MinIO (bucket, user, policy): job ${ns}/${objects.job.metadata.name}`);
  await kube.createObject(objects.configMap);
  await kube.createObject(objects.job);
  const waited = await waitForJobs(kube, ns, selectorOf(objects.job.metadata.labels ?? {}), o);
  if (waited.outcome === 'failed') throw new DrillError(`provisioning job ${waited.job} failed: ${waited.reason}`);
  if (waited.outcome === 'timeout') throw new DrillError(`provisioning job ${waited.running.join(', ')} still running at the deadline`);
  if (waited.outcome === 'none') throw new DrillError(`provisioning job ${ns}/${objects.job.metadata.name} vanished after it was created`);
}
