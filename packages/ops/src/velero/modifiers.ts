import { stringify } from 'yaml';

/** One JSON patch as Velero's resource modifiers take it (`value` is a string Velero turns into JSON). */
export interface ModifierPatch {
  readonly operation: 'add' | 'remove' | 'replace' | 'copy' | 'move' | 'test';
  readonly path: string;
  readonly value?: string;
}

/**
 * One strategic merge patch (Velero 1.13+), as YAML or JSON text. Lists merge by their
 * Kubernetes merge key (containers and env by `name`), so a container is addressed by
 * its name, never by its index: a reordered chart cannot make it patch the wrong one.
 * @see https://velero.io/docs/v1.18/restore-resource-modifiers/
 */
export interface StrategicPatch {
  readonly patchData: string;
}

export interface ModifierRule {
  /** `namespaces` are the backup's (source) namespaces, before any namespace mapping. */
  readonly conditions: { groupResource: string; resourceNameRegex?: string; namespaces?: string[] };
  /** JSON patches (RFC 6902). @default none */
  readonly patches?: ModifierPatch[];
  /** Strategic merge patches, applied after the JSON patches. @default none */
  readonly strategicPatches?: StrategicPatch[];
}

/**
 * The JSON value Velero makes of a patch's `value` text (internal/resourcemodifiers,
 * JSONPatch.ToString and addQuotes, 1.18.1): `null`, what Go's ParseBool or ParseFloat
 * accept, and text starting with `{` or `[` go in as JSON; anything else is a string.
 */
export function veleroPatchValue(value: string | undefined): unknown {
  const v = value ?? '';
  const raw = v === 'null' || /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v) || v.startsWith('{') || v.startsWith('[') || (v.trim() !== '' && Number.isFinite(Number(v)));
  if (!raw) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A strategic merge patch of Harbor's registry Deployment: environment variables of named containers. */
export function containerEnvPatch(envByContainer: Record<string, { name: string; value: string }[]>): StrategicPatch {
  const containers = Object.entries(envByContainer).map(([name, env]) => ({ name, env }));
  return { patchData: JSON.stringify({ spec: { template: { spec: { containers } } } }) };
}

/** The key the drill's ConfigMap keeps its rules under (Velero reads the ConfigMap's only key). */
export const MODIFIERS_KEY = 'resource-modifiers.yaml';

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
 * The registry's variable is a strategic merge patch keyed by container name (an env
 * entry of the same name is replaced, not duplicated). A container missing from the
 * chart would be added without an image, which the API server refuses, so Velero
 * fails the item loudly. Velero logs a failed JSON-patch `test` at info level only and
 * restores the object unmodified, so the drill reads every patched field back after
 * the restore (readBackModifiers) instead of trusting either.
 */
export function drillModifierRules(p: DrillModifierProps): ModifierRule[] {
  const endpointEnv = [{ name: 'REGISTRY_STORAGE_S3_REGIONENDPOINT', value: p.drillS3Endpoint }];
  return [
    {
      conditions: { groupResource: 'deployments.apps', resourceNameRegex: `^${p.harborRelease}-registry$` },
      strategicPatches: [containerEnvPatch({ registry: endpointEnv, registryctl: endpointEnv })],
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
