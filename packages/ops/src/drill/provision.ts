import type { EnvironmentPlan } from '@harbor-platform/config';
import { PROVISIONING_LABELS } from '@harbor-platform/manifests';
import type { RenderedObject } from './isolation.js';
import type { KubeApi, NamespacedObject } from '../kube/api.js';
import { waitForJobs } from '../kube/jobs.js';
import type { WaitOptions } from '../velero/wait.js';

/** The drill's provisioning objects: the script ConfigMap and the Job that runs it. */
export interface DrillProvisioning {
  readonly configMap: NamespacedObject;
  readonly job: NamespacedObject;
}

/** The label that finds the drill's own provisioning Job (and only it) in the drill namespace. */
export const DRILL_PROVISIONING_LABEL = { 'harbor-platform/purpose': 'drill-provisioning' } as const;

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

const isProvisioningJob = (o: RenderedObject, ns: string) =>
  o.kind === 'Job' && o.metadata.namespace === ns && (o.metadata as { labels?: Record<string, string> }).labels?.['app.kubernetes.io/name'] === PROVISIONING_LABELS['app.kubernetes.io/name'];

/**
 * The provisioning Job the platform deploys (MinioProvisioningChart: bucket, Harbor's
 * user, its policy) and its script ConfigMap, moved into the drill's MinIO namespace:
 * the same script, image, policy and pod labels (the restored network policies admit
 * it by them), MINIO_ENDPOINT set to the drill MinIO, and the Secrets read by name
 * there, where Velero restored them. Both names get a `-drill` suffix, since the
 * restore may have brought the live ConfigMap of the same name along.
 * Throws when the manifests hold no such Job (a renamed chart must not skip provisioning).
 */
export function drillProvisioningObjects(
  manifests: RenderedObject[],
  plan: EnvironmentPlan,
  drillNamespace: string,
  drillEndpoint: string,
): DrillProvisioning {
  const rendered = manifests.find((o) => isProvisioningJob(o, plan.minio.namespace)) as (RenderedObject & JobShape) | undefined;
  if (!rendered) throw new Error(`no provisioning Job (label app.kubernetes.io/name=${PROVISIONING_LABELS['app.kubernetes.io/name']}) in the manifests of namespace ${plan.minio.namespace}`);
  const job = structuredClone(rendered) as unknown as JobShape & NamespacedObject;
  const podSpec = job.spec.template.spec;
  const configVolume = podSpec.volumes?.find((v) => v.configMap);
  const source = configVolume && manifests.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === plan.minio.namespace && o.metadata.name === configVolume.configMap?.name);
  if (!configVolume || !source) throw new Error(`the provisioning Job ${rendered.metadata.name} mounts no ConfigMap of the manifests (its script)`);
  const configMap = { ...structuredClone(source), metadata: { ...source.metadata, name: `${source.metadata.name}-drill`, namespace: drillNamespace } } as NamespacedObject;
  configVolume.configMap!.name = configMap.metadata.name;
  for (const c of podSpec.containers) for (const e of c.env ?? []) if (e.name === 'MINIO_ENDPOINT') e.value = drillEndpoint;
  if (!podSpec.containers.some((c) => c.env?.some((e) => e.name === 'MINIO_ENDPOINT' && e.value === drillEndpoint))) {
    throw new Error(`the provisioning Job ${rendered.metadata.name} has no MINIO_ENDPOINT variable to point at the drill MinIO`);
  }
  const body = {
    ...job,
    metadata: { ...job.metadata, name: `${rendered.metadata.name}-drill`, namespace: drillNamespace, labels: { ...job.metadata.labels, ...DRILL_PROVISIONING_LABEL } },
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
 * Provisions the drill's MinIO (empty drives: no bucket, user or policy) as the deploy
 * does: checks that the restored Secrets the Job reads (root credentials, Harbor's
 * user) hold their keys, creates the script ConfigMap and the Job, and waits for the
 * Job to succeed. Throws naming the missing Secret key, or the failed Job and
 * Kubernetes' reason, or the Job still running at the deadline.
 */
export async function provisionDrillMinio(kube: KubeApi, objects: DrillProvisioning, o: WaitOptions): Promise<void> {
  const ns = objects.job.metadata.namespace;
  for (const ref of secretRefsOf(objects.job)) {
    const secret = await kube.readSecret(ns, ref.secret);
    if (!secret?.[ref.key]) throw new Error(`secret ${ns}/${ref.secret} was not restored with key ${ref.key}, which the provisioning Job reads`);
  }
  o.progress?.(`provisioning the drill MinIO: job ${ns}/${objects.job.metadata.name}`);
  await kube.createObject(objects.configMap);
  await kube.createObject(objects.job);
  const waited = await waitForJobs(kube, ns, selectorOf(DRILL_PROVISIONING_LABEL), o);
  if (waited.outcome === 'failed') throw new Error(`provisioning job ${waited.job} failed: ${waited.reason}`);
  if (waited.outcome === 'timeout') throw new Error(`provisioning job ${waited.running.join(', ')} still running at the drill timeout`);
  if (waited.outcome === 'none') throw new Error(`provisioning job ${ns}/${objects.job.metadata.name} vanished after it was created`);
}
