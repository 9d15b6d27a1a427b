import { planImages, type ImagesPlan } from '../images.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * The Harbor and Velero charts' images, pulled through the environment's ECR pull-through
 * caches (images.ts `caches`) instead of Docker Hub, which limits anonymous pulls per IP and
 * so fails nodes behind a shared NAT address. Tags stay the charts' own (Harbor) or the
 * config's versions (Velero): no digest of these images could be read where this is built,
 * and none is made up. The first pull of a tag imports it into ECR; later pulls are ECR's.
 *
 * Harbor chart 1.19: each component's `image.repository` (values.yaml); Velero chart 12:
 * `image.repository` and the AWS plugin's init container (its kubectl CRD jobs are off).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */

/**
 * Docker Hub repositories of Harbor 2.15's images, by the chart's value path (its `image.repository`
 * key), for the components the platform runs: not nginx (exposed through an ingress) nor the
 * exporter (metrics off); the database and Redis only when internal, Trivy only when enabled.
 * A test renders the chart and checks every image it runs comes through the cache.
 */
export const HARBOR_IMAGE_REPOSITORIES = {
  'portal': 'goharbor/harbor-portal',
  'core': 'goharbor/harbor-core',
  'jobservice': 'goharbor/harbor-jobservice',
  'registry.registry': 'goharbor/registry-photon',
  'registry.controller': 'goharbor/harbor-registryctl',
  'trivy': 'goharbor/trivy-adapter-photon',
  'database.internal': 'goharbor/harbor-db',
  'redis.internal': 'goharbor/redis-photon',
} as const;

/** The components of HARBOR_IMAGE_REPOSITORIES that `config` runs. */
function harborComponents(config: EnvironmentConfig): (keyof typeof HARBOR_IMAGE_REPOSITORIES)[] {
  return [
    'portal', 'core', 'jobservice', 'registry.registry', 'registry.controller',
    ...(config.harbor.trivy.enabled ? (['trivy'] as const) : []),
    ...(config.harbor.database.type === 'internal' ? (['database.internal'] as const) : []),
    ...(config.harbor.redis.type === 'internal' ? (['redis.internal'] as const) : []),
  ];
}

/** Docker Hub repositories of Velero's server and AWS plugin. */
export const VELERO_IMAGE = 'velero/velero';
export const VELERO_AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws';

/** Harbor values that set every component's image repository to the Docker Hub cache (`plan.images.caches`). */
export function harborImageValues(config: EnvironmentConfig, plan: { readonly images: Pick<ImagesPlan, 'caches'> }): Record<string, unknown> {
  const base = plan.images.caches.dockerHub.repositoryBase;
  const values: Record<string, unknown> = {};
  for (const path of harborComponents(config)) {
    const repository = HARBOR_IMAGE_REPOSITORIES[path];
    let node = values;
    for (const key of path.split('.')) node = (node[key] ??= {}) as Record<string, unknown>;
    node.image = { repository: `${base}/${repository}` };
  }
  return values;
}

/** The Velero images through the Docker Hub cache: `{ server, awsPlugin }` repositories. */
export function veleroImageRepositories(config: EnvironmentConfig): { server: string; awsPlugin: string } {
  const { dockerHub } = planImages(config).caches;
  return {
    server: `${dockerHub.repositoryBase}/${VELERO_IMAGE}`,
    awsPlugin: `${dockerHub.repositoryBase}/${VELERO_AWS_PLUGIN_IMAGE}`,
  };
}

/** `base` with `extra` merged in, plain objects key by key (extra wins elsewhere). */
export function mergeValues<T extends Record<string, unknown>>(base: T, extra: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
