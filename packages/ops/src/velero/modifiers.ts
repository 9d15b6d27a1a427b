import { stringify } from 'yaml';

/** One JSON patch as Velero's resource modifiers take it (`value` is a string Velero turns into JSON). */
export interface ModifierPatch {
  readonly operation: 'add' | 'remove' | 'replace' | 'copy' | 'move' | 'test';
  readonly path: string;
  readonly value?: string;
}

export interface ModifierRule {
  readonly conditions: { groupResource: string; resourceNameRegex?: string; namespaces?: string[] };
  readonly patches: ModifierPatch[];
}

/** The key the drill's ConfigMap keeps its rules under (Velero reads the ConfigMap's only key). */
export const MODIFIERS_KEY = 'resource-modifiers.yaml';

/** Velero's patch value for a JSON object: Velero passes values starting with `{` through unquoted. */
const objectValue = (v: object) => JSON.stringify(v);

export interface DrillModifierProps {
  /** The S3 endpoint of the drill's MinIO, such as `http://minio.minio-drill.svc.cluster.local:9000`. */
  readonly drillS3Endpoint: string;
  /** The URL the restored Harbor calls itself (its token realm): the drill's local port-forward, never the public host. */
  readonly drillExternalUrl: string;
  /** Harbor's Helm release; the chart names objects `<release>-registry`, `<release>-core`. */
  readonly harborRelease: string;
}

/**
 * Resource modifier rules that make a restored Harbor safe to start beside the live one:
 * - the registry (and registryctl, which runs GC with the same config) gets
 *   REGISTRY_STORAGE_S3_REGIONENDPOINT, which distribution reads over the config file's
 *   `storage.s3.regionendpoint`: blobs go to the drill MinIO, never the live one;
 * - Harbor core's EXT_ENDPOINT becomes the drill's private URL, so tokens and links never
 *   name the public hostname (Ingresses are not restored at all; see DRILL_EXCLUDED_RESOURCES).
 * `test` patches make Velero fail the item loudly if the chart's container order ever changes.
 */
export function drillModifierRules(p: DrillModifierProps): ModifierRule[] {
  const endpointEnv = objectValue({ name: 'REGISTRY_STORAGE_S3_REGIONENDPOINT', value: p.drillS3Endpoint });
  return [
    {
      conditions: { groupResource: 'deployments.apps', resourceNameRegex: `^${p.harborRelease}-registry$` },
      patches: [
        { operation: 'test', path: '/spec/template/spec/containers/0/name', value: 'registry' },
        { operation: 'add', path: '/spec/template/spec/containers/0/env/-', value: endpointEnv },
        { operation: 'test', path: '/spec/template/spec/containers/1/name', value: 'registryctl' },
        { operation: 'add', path: '/spec/template/spec/containers/1/env/-', value: endpointEnv },
      ],
    },
    {
      conditions: { groupResource: 'configmaps', resourceNameRegex: `^${p.harborRelease}-core$` },
      patches: [{ operation: 'replace', path: '/data/EXT_ENDPOINT', value: p.drillExternalUrl }],
    },
  ];
}

/**
 * Resources the drill never restores:
 * - Ingresses would publish the restored Harbor on the live hostname (and the load balancer
 *   controller would attach them to the live load balancer group);
 * - Pods and ReplicaSets are backed up with their original spec, which the modifiers never
 *   see (they patch Deployments and StatefulSets): a restored registry Pod would write to the
 *   live MinIO and a MinIO Pod would dial the live peers. Their controllers re-create them
 *   from the patched specs;
 * - Jobs and CronJobs would run again in the drill: the provisioning Job against MinIO with
 *   the restored root credentials, the registry-data backup on its schedule.
 */
export const DRILL_EXCLUDED_RESOURCES = ['ingresses.networking.k8s.io', 'pods', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch'];

/** The ConfigMap (in Velero's namespace) that a Restore's `spec.resourceModifier` references. */
export function modifierConfigMap(name: string, namespace: string, rules: ModifierRule[], labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1' as const,
    kind: 'ConfigMap' as const,
    metadata: { name, namespace, labels },
    data: { [MODIFIERS_KEY]: stringify({ version: 'v1', resourceModifierRules: rules }) },
  };
}
