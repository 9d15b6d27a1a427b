import { ConfigError } from '../errors.js';
import { formatProblem } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';
import { untestedVersion } from '../versions.js';

/** Where a Helm chart comes from; what a Helm release construct needs besides values. */
export interface HelmChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/**
 * The Harbor chart. The values builder is written against, and its keys tested
 * against, the versions in TESTED_VERSIONS.harborChart; another version is a code
 * change plus the conformance test against that version's values.yaml.
 */
export const HARBOR_CHART = {
  repository: 'https://helm.goharbor.io',
  chart: 'harbor',
} as const;

/**
 * The Velero chart. 11.1.1 ships Velero 1.17.0 by default; the values set the
 * image to `velero.version`, and the chart's CRD upgrade job installs that image's
 * CRDs. 12.0.2 and later ship 1.18.1 themselves (12.0.3 included); the config's 1.18.2
 * replaces it through the same value. The keys used here exist in both.
 */
export const VELERO_CHART = {
  repository: 'https://vmware-tanzu.github.io/helm-charts',
  chart: 'velero',
} as const;

/**
 * The ExternalDNS chart of kubernetes-sigs/external-dns. It points `dns.harborHostname` at
 * the load balancer the AWS Load Balancer Controller made for Harbor's Ingress.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/charts/external-dns/
 */
export const EXTERNAL_DNS_CHART = {
  repository: 'https://kubernetes-sigs.github.io/external-dns',
  chart: 'external-dns',
} as const;

/** The chart at `version`; throws the same `path: problem: fix` line `validate` prints for an untested one. */
function pinned(ref: { repository: string; chart: string }, version: string, key: 'harborChart' | 'veleroChart' | 'externalDnsChart'): HelmChartRef {
  const problem = untestedVersion(key, version);
  if (problem) throw new ConfigError(formatProblem(problem));
  return { repository: ref.repository, chart: ref.chart, version };
}

/** The Harbor chart at the config's version (refused when TESTED_VERSIONS does not list it). */
export function harborChart(config: EnvironmentConfig): HelmChartRef {
  return pinned(HARBOR_CHART, config.harbor.chartVersion, 'harborChart');
}

/** The Velero chart at the config's version (refused when TESTED_VERSIONS does not list it). */
export function veleroChart(config: EnvironmentConfig): HelmChartRef {
  return pinned(VELERO_CHART, config.velero.chartVersion, 'veleroChart');
}

/**
 * The ExternalDNS chart at `version` (`dns.externalDnsChartVersion`), refused when
 * TESTED_VERSIONS does not list it: the values are written against those versions.
 */
export function externalDnsChart(version: string): HelmChartRef {
  return pinned(EXTERNAL_DNS_CHART, version, 'externalDnsChart');
}
