import type { EnvironmentConfig } from '../schema/environment.js';

/** Where a Helm chart comes from; what a Helm release construct needs besides values. */
export interface HelmChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/**
 * The Harbor chart. The values builder is written against, and its keys tested
 * against, chart 1.19.1 (Harbor 2.15.1); another version is a code change plus the
 * conformance test against that version's values.yaml.
 */
export const HARBOR_CHART = {
  repository: 'https://helm.goharbor.io',
  chart: 'harbor',
  testedVersions: ['1.19.1'],
} as const;

/**
 * The Velero chart. 11.1.1 ships Velero 1.17.0 by default; the values set the
 * image to `velero.version`, and the chart's CRD upgrade job installs that image's
 * CRDs. 12.0.2 and later ship 1.18.1 themselves; the keys used here exist in both.
 */
export const VELERO_CHART = {
  repository: 'https://vmware-tanzu.github.io/helm-charts',
  chart: 'velero',
  testedVersions: ['11.1.1', '12.0.3'],
} as const;

function pinned(ref: { repository: string; chart: string; testedVersions: readonly string[] }, version: string, field: string): HelmChartRef {
  if (!ref.testedVersions.includes(version)) {
    throw new Error(
      `${field}: the ${ref.chart} values builder is tested with chart ${ref.testedVersions.join(', ')}, not ${version}: ` +
        `use a tested version, or add ${version} to ${ref.chart.toUpperCase()}_CHART.testedVersions after running the conformance tests against it`,
    );
  }
  return { repository: ref.repository, chart: ref.chart, version };
}

/** The Harbor chart at the config's version (refused when the builder is not tested with it). */
export function harborChart(config: EnvironmentConfig): HelmChartRef {
  return pinned(HARBOR_CHART, config.harbor.chartVersion, 'harbor.chartVersion');
}

/** The Velero chart at the config's version (refused when the builder is not tested with it). */
export function veleroChart(config: EnvironmentConfig): HelmChartRef {
  return pinned(VELERO_CHART, config.velero.chartVersion, 'velero.chartVersion');
}
