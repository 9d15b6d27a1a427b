import { createHash } from 'node:crypto';
import { HarborError } from '../errors.js';

/** The Kubernetes calls the reload makes, and nothing more; `ClientNodeCoreRestart` is the real one. */
export interface CoreRestartApi {
  /** A Secret's data, decoded; undefined when it does not exist. */
  readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** The pod template annotations of a Deployment; undefined when the Deployment does not exist. */
  podTemplateAnnotations(namespace: string, deployment: string): Promise<Record<string, string> | undefined>;
  /** Sets pod template annotations (a strategic merge patch): Kubernetes rolls the Deployment's pods. */
  annotatePodTemplate(namespace: string, deployment: string, annotations: Record<string, string>): Promise<void>;
}

export interface SettingsReloadTarget {
  readonly namespace: string;
  /** The Secret External Secrets renders `CONFIG_OVERWRITE_JSON` into. */
  readonly secret: string;
  readonly key: string;
  /** Harbor's core Deployment. */
  readonly deployment: string;
  /** The pod template annotation holding the checksum core last started with. */
  readonly annotation: string;
}

export type SettingsReloadResult =
  | { readonly outcome: 'unchanged'; readonly checksum: string }
  | { readonly outcome: 'restarted'; readonly checksum: string; readonly previous?: string }
  /** Harbor is not installed yet: nothing to restart. */
  | { readonly outcome: 'no-deployment' };

/**
 * Restarts Harbor's core when the settings Secret holds another value than the one core
 * started with: core applies `CONFIG_OVERWRITE_JSON` only at start, and an environment
 * variable from a Secret never changes in a running pod. The value is compared by its
 * SHA-256 (never logged) with the pod template annotation; setting the annotation rolls
 * core. A first run (no annotation yet) restarts core once. Throws when the Secret or its
 * key is missing (External Secrets has not synced it: core could not start either).
 */
export async function reloadOnSettingsChange(api: CoreRestartApi, t: SettingsReloadTarget): Promise<SettingsReloadResult> {
  const data = await api.readSecret(t.namespace, t.secret);
  const value = data?.[t.key];
  if (value === undefined) throw new HarborError(`Secret ${t.namespace}/${t.secret} has no key ${t.key}: check its ExternalSecret (kubectl describe externalsecret -n ${t.namespace} ${t.secret})`);
  const checksum = createHash('sha256').update(value).digest('hex');
  const annotations = await api.podTemplateAnnotations(t.namespace, t.deployment);
  if (annotations === undefined) return { outcome: 'no-deployment' };
  const previous = annotations[t.annotation];
  if (previous === checksum) return { outcome: 'unchanged', checksum };
  await api.annotatePodTemplate(t.namespace, t.deployment, { [t.annotation]: checksum });
  return { outcome: 'restarted', checksum, ...(previous && { previous }) };
}
