import { KNOWN_DEFAULT_SECRETS } from '@harbor-platform/config';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

/** Where a chart comes from (what `harborChart(config)` / `veleroChart(config)` return). */
export interface ChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

export interface HelmReleaseProps {
  readonly cluster: eks.ICluster;
  /** Chart repository, name and pinned version. */
  readonly chart: ChartRef;
  /** Release name (charts derive object names from it). */
  readonly release: string;
  readonly namespace: string;
  /** Values, as `packages/config` builds them; CDK tokens (endpoints, ARNs) are resolved at deploy time. */
  readonly values: Record<string, unknown>;
  /**
   * Let Helm create the namespace (off when a manifest creates it with its labels first).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Wait until the release's workloads are ready.
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Upper bound of the install or upgrade.
   * @default DEFAULTS.helm.timeout (15 minutes)
   */
  readonly timeout?: Duration;
}

/**
 * One Helm release of an upstream chart with generated values. Refuses values
 * that carry a chart's known default credential, wherever it sits.
 */
export class HelmRelease extends Construct {
  readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id);
    const check = new PropsCheck('HelmRelease');
    check.require(/^https:\/\/|^oci:\/\//.test(props.chart.repository), `chart.repository: "${props.chart.repository}" is not an https:// or oci:// repository`);
    check.require(/^\d+\.\d+\.\d+$/.test(props.chart.version), `chart.version: "${props.chart.version}" is not a pinned chart version: write it as "1.19.1"`);
    for (const [path, secret] of defaultSecrets(props.values)) {
      check.require(false, `values.${path}: holds the known default credential "${secret}": reference a Secret synced from Secrets Manager instead`);
    }
    check.throwIfAny();

    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      repository: props.chart.repository,
      chart: props.chart.chart,
      version: props.chart.version,
      release: props.release,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? true,
      values: props.values,
      wait: props.wait ?? true,
      timeout: props.timeout ?? DEFAULTS.helm.timeout,
    });
  }
}

/** Paths of values equal to a known default credential. */
function defaultSecrets(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') {
    const hit = KNOWN_DEFAULT_SECRETS.find((s) => value === s);
    return hit ? [[path || '(root)', hit]] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => defaultSecrets(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => defaultSecrets(v, path ? `${path}.${k}` : k));
  }
  return [];
}
