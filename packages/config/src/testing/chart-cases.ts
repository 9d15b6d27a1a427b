import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { TestingError } from '../errors.js';
import { renderChart } from './helm.js';
import { upstreamPath } from './upstream.js';
import { harborChart, veleroChart, type HelmChartRef } from '../helm-values/charts.js';
import { harborValues, type HarborEndpoints } from '../helm-values/harbor.js';
import { HARBOR_RELEASE, VELERO_RELEASE } from '../helm-values/names.js';
import { veleroValues } from '../helm-values/velero.js';
import { environmentFile, findRepoRoot, listEnvironments, loadEnvironmentText } from '../load.js';
import { planEnvironment, type EnvironmentPlan } from '../plan.js';
import { formatProblem } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * The Helm releases the CDK app installs (packages/infra `PlatformWorkloads`), as data:
 * the same values builders, release names, namespaces and Kubernetes version, for every
 * environment in environments/ and for the variants the config allows. What
 * `scripts/render-charts` and the chart tests render.
 */

/** One release of one chart, ready for `renderChart` (plus `chart` for the chart's folder). */
export interface ChartRelease {
  /** `harbor` or `velero`. */
  readonly name: 'harbor' | 'velero';
  readonly ref: HelmChartRef;
  readonly values: Record<string, unknown>;
  readonly release: string;
  readonly namespace: string;
  /** `cluster.kubernetesVersion`, e.g. `1.33`. */
  readonly kubeVersion: string;
}

/**
 * Deploy-time addresses in the form the CDK app resolves them to (RDS `Endpoint.Address`,
 * ElastiCache `host:port`); `npm run synth` writes a placeholder in their place.
 */
export const EXAMPLE_ENDPOINTS: HarborEndpoints = {
  databaseHost: 'harbor.abc.ap-northeast-2.rds.amazonaws.com',
  redisAddress: 'master.harbor.abc.apn2.cache.amazonaws.com:6379',
};

/** The Harbor and Velero releases of one environment, as `PlatformWorkloads` builds them (from `plan`, the environment's plan). */
export function chartReleases(
  config: EnvironmentConfig,
  endpoints: HarborEndpoints = EXAMPLE_ENDPOINTS,
  plan: EnvironmentPlan = planEnvironment(config),
): ChartRelease[] {
  const kubeVersion = config.cluster.kubernetesVersion;
  const used: HarborEndpoints = {
    ...(config.harbor.database.type === 'external' ? { databaseHost: endpoints.databaseHost } : {}),
    ...(config.harbor.redis.type === 'external' ? { redisAddress: endpoints.redisAddress } : {}),
  };
  return [
    { name: 'velero', ref: veleroChart(config), values: veleroValues(config), release: VELERO_RELEASE, namespace: config.velero.namespace, kubeVersion },
    { name: 'harbor', ref: harborChart(config), values: harborValues(config, plan, used) as Record<string, unknown>, release: HARBOR_RELEASE, namespace: config.harbor.namespace, kubeVersion },
  ];
}

/**
 * Folder of an unmodified upstream chart in `../shared/upstream/charts/<chart>-<version>`,
 * or undefined when missing (fails under CI; see `upstreamPath`).
 */
export function upstreamChart(ref: Pick<HelmChartRef, 'chart' | 'version'>): string | undefined {
  return upstreamPath(`charts/${ref.chart}-${ref.version}`, `rendering the ${ref.chart} chart ${ref.version}`);
}

/** A change of an environment's raw YAML that the chart tests render besides the file itself. */
export interface ChartVariant {
  readonly name: string;
  /** Whether it changes anything for this environment (a variant already in force is left out). */
  readonly applies: (raw: any) => boolean;
  readonly mutate: (raw: any) => void;
}

/** External (or internal) PostgreSQL and Redis, Trivy off, an LDAP CA bundle, file-system backup on. */
export const CHART_VARIANTS: readonly ChartVariant[] = [
  {
    name: 'external database and Redis',
    applies: (raw) => raw.harbor.database.type !== 'external' || raw.harbor.redis.type !== 'external',
    mutate: (raw) => {
      const secrets = `harbor-platform/${raw.name}`;
      raw.harbor.database = { type: 'external', instanceClass: 'db.r6g.large', engineVersion: '16', multiAz: true, allocatedStorageGiB: 100, databaseName: 'registry', credentialsSecret: `${secrets}/harbor-database` };
      raw.harbor.redis = { type: 'external', nodeType: 'cache.r7g.large', multiAz: true, authTokenSecret: `${secrets}/harbor-redis` };
      delete raw.harbor.acceptZonalState;
    },
  },
  {
    name: 'internal database and Redis',
    applies: (raw) => raw.harbor.database.type !== 'internal' || raw.harbor.redis.type !== 'internal',
    mutate: (raw) => {
      raw.harbor.database = { type: 'internal' };
      raw.harbor.redis = { type: 'internal' };
      // Single pods on zonal EBS: named, as validate requires beside minio.tolerateZoneLoss readWrite.
      raw.harbor.acceptZonalState = ['database', 'redis'];
    },
  },
  {
    name: 'Trivy off',
    applies: (raw) => raw.harbor.trivy.enabled !== false,
    mutate: (raw) => (raw.harbor.trivy.enabled = false),
  },
  {
    // The chart mounts the bundle into core, jobservice, registry and trivy.
    name: 'LDAP CA bundle',
    applies: (raw) => raw.ldap.caBundleSecret === undefined && String(raw.ldap.url).startsWith('ldaps://') && raw.ldap.verifyCertificate !== false,
    mutate: (raw) => (raw.ldap.caBundleSecret = `harbor-platform/${raw.name}/ldap-ca`),
  },
  {
    name: 'file-system backup on',
    applies: (raw) => raw.velero.fileSystemBackup !== true,
    mutate: (raw) => (raw.velero.fileSystemBackup = true),
  },
];

/** One environment (or a variant of it) to render. */
export interface ChartCase {
  /** `dev`, `dev, Trivy off`, ... */
  readonly name: string;
  readonly config: EnvironmentConfig;
}

function load(raw: any, label: string): EnvironmentConfig {
  const r = loadEnvironmentText(stringify(raw), raw.name);
  if (!r.ok) throw new TestingError(`${label}: the environment does not load:\n${r.problems.map(formatProblem).join('\n')}`);
  return r.config;
}

/** Every environment in environments/, then each variant that applies to it. */
export function chartCases(root = findRepoRoot(import.meta.dirname)): ChartCase[] {
  return listEnvironments(root).flatMap((name) => {
    const text = readFileSync(environmentFile(name, root)!, 'utf8');
    const cases: ChartCase[] = [{ name, config: load(parse(text), name) }];
    for (const v of CHART_VARIANTS) {
      const raw = parse(text);
      if (!v.applies(raw)) continue;
      v.mutate(raw);
      cases.push({ name: `${name}, ${v.name}`, config: load(raw, `${name}, ${v.name}`) });
    }
    return cases;
  });
}

/** The Harbor chart's template of the registry's ConfigMap (Docker distribution's `config.yml`). */
export const HARBOR_REGISTRY_CONFIGMAP = 'templates/registry/registry-cm.yaml';

/**
 * The registry's `config.yml` exactly as the Harbor chart renders it from this release's
 * values (storage section included; its S3 keys come from the Secret the values name, as
 * environment variables of the registry container). Throws when the chart is missing or
 * renders no such ConfigMap.
 * @see https://distribution.github.io/distribution/about/configuration/
 */
export function harborRegistryConfig(release: ChartRelease, chart = upstreamChart(release.ref)): string {
  if (release.name !== 'harbor') throw new TestingError(`harborRegistryConfig: release "${release.release}" is the ${release.name} chart, not harbor`);
  if (!chart) throw new TestingError(`harborRegistryConfig: the harbor chart ${release.ref.version} is not in ../shared/upstream/charts`);
  const [cm] = renderChart({ ...release, chart, showOnly: [HARBOR_REGISTRY_CONFIGMAP] });
  const text = cm?.data?.['config.yml'];
  if (cm?.kind !== 'ConfigMap' || typeof text !== 'string') throw new TestingError(`harborRegistryConfig: ${HARBOR_REGISTRY_CONFIGMAP} rendered no ConfigMap with data."config.yml"`);
  return text;
}
