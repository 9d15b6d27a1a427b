import { planNames, type EnvironmentConfig } from '@harbor-platform/config';
import { chartReleases, lintChart, renderChart, upstreamChart, type ChartRelease, type RenderedObject } from '@harbor-platform/config/testing';
import { Testing } from 'cdk8s';
import { enforcedLevels, formatFinding, podSecurityFindings, type PodSecurityFinding, type PodSecurityLevel } from './pod-security.js';
import { crdSchemas, externalSecretsSchemas, schemaErrors } from './validate.js';
import { NamespacesChart } from '../src/index.js';

/**
 * The upstream Harbor and Velero charts rendered with the values the CDK app installs them
 * with, and every rendered object checked: the Kubernetes 1.33 schema, the CRDs (the
 * chart's own `crds/`, External Secrets'), and the Pod Security level its namespace
 * enforces (the Namespace objects of packages/manifests for the same environment).
 */

/** What checking one release found. */
export interface ReleaseCheck {
  readonly release: ChartRelease;
  /** Rendered objects, the chart's CRDs included. */
  readonly objects: RenderedObject[];
  /** Schema and CRD errors, one line each (`Kind/name: field: message`). */
  readonly schema: string[];
  /** Pod Security findings at the namespace's enforced level. */
  readonly podSecurity: PodSecurityFinding[];
  /** The namespace's enforced level. */
  readonly level: PodSecurityLevel;
  /** Pod Security findings at the level the namespace warns at (`kubectl apply` prints them; nothing is refused). */
  readonly warned: PodSecurityFinding[];
  /** `helm lint --strict` findings (`[ERROR] ...`, `[WARNING] ...`). */
  readonly lint: { ok: boolean; findings: string[] };
}

/** The Pod Security levels packages/manifests labels each namespace of this environment with (enforce, or warn): NamespacesChart's. */
export function namespaceLevels(config: EnvironmentConfig, mode: 'enforce' | 'warn' = 'enforce'): Map<string, PodSecurityLevel> {
  const chart = new NamespacesChart(Testing.app(), 'namespaces', { plan: { names: planNames(config) }, fileSystemBackup: config.velero.fileSystemBackup });
  return enforcedLevels(chart.toJson(), mode);
}

/**
 * Renders and checks one release. `objects` may be given to check a changed rendering
 * (the tests' deliberately broken values go through `values` instead).
 * @returns undefined when the chart is not in ../shared/upstream (see `upstreamChart`)
 */
export function checkRelease(
  release: ChartRelease,
  levels: Map<string, PodSecurityLevel>,
  opts: { lint?: boolean; warnLevels?: Map<string, PodSecurityLevel> } = {},
): ReleaseCheck | undefined {
  const chart = upstreamChart(release.ref);
  if (!chart) return undefined;
  const objects = renderChart({ ...release, chart, includeCrds: true });
  const crds = externalSecretsSchemas(crdSchemas(objects));
  if (!crds) return undefined;
  const level = levels.get(release.namespace);
  if (!level) throw new Error(`${release.release}: namespace ${release.namespace} is not created by packages/manifests, so its Pod Security level is unknown`);
  return {
    release,
    objects,
    schema: objects.flatMap((o) => schemaErrors(o, crds)),
    podSecurity: objects.flatMap((o) => podSecurityFindings(o, level)),
    level,
    warned: objects.flatMap((o) => podSecurityFindings(o, opts.warnLevels?.get(release.namespace) ?? level)),
    lint: opts.lint === false ? { ok: true, findings: [] } : lintChart({ ...release, chart }),
  };
}

/** Every release of an environment, checked. */
export function checkEnvironment(config: EnvironmentConfig, opts: { lint?: boolean } = {}): ReleaseCheck[] | undefined {
  const levels = namespaceLevels(config);
  const warnLevels = namespaceLevels(config, 'warn');
  const checks = chartReleases(config).map((r) => checkRelease(r, levels, { ...opts, warnLevels }));
  return checks.some((c) => c === undefined) ? undefined : (checks as ReleaseCheck[]);
}

/** All findings of a check as lines: schema, Pod Security, then lint. */
export function findingLines(check: ReleaseCheck): string[] {
  return [...check.schema, ...check.podSecurity.map(formatFinding), ...(check.lint.ok ? [] : check.lint.findings.map((l) => `helm lint --strict: ${l}`))];
}
