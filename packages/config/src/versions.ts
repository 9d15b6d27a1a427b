import type { Problem } from './problems.js';
import type { EnvironmentConfig } from './schema/environment.js';

/**
 * The versions this platform is tested with, for every versioned field of the config:
 * the one table `validate` checks, synthesis enforces (the Helm chart refs refuse
 * anything else) and the README shows (a test keeps its table equal to this one).
 * Adding a version means running the checks named in `testedBy` against it first.
 */
export interface TestedComponent {
  /** The config field holding the version. */
  readonly field: string;
  /** What the version is of. */
  readonly component: string;
  /** Accepted values, as written in the config (Velero's server version also without its `v`). */
  readonly versions: readonly string[];
  /** What must pass before another version joins the list. */
  readonly testedBy: string;
}

export const TESTED_VERSIONS = {
  kubernetes: {
    field: 'cluster.kubernetesVersion',
    component: 'Kubernetes (EKS)',
    // 1.35 is in EKS standard support (1.33 went to paid extended support on 2026-07-29). The
    // manifests use GA APIs only and are still checked against the 1.33 OpenAPI schema and
    // cdk8s-plus-33: there is no cdk8s-plus-35, and kubernetes-models 5.x (1.36) needs Node 22.
    versions: ['1.35'],
    testedBy: 'its kubectl layer in packages/infra, EKS standard support for it, and the charts rendered at that version',
  },
  harborChart: {
    field: 'harbor.chartVersion',
    component: 'Harbor Helm chart',
    versions: ['1.19.1'],
    testedBy: "the values conformance tests against that chart's values.yaml and templates",
  },
  veleroChart: {
    field: 'velero.chartVersion',
    component: 'Velero Helm chart',
    versions: ['11.1.1', '12.0.3'],
    testedBy: "the values conformance tests against that chart's values.yaml and templates",
  },
  velero: {
    field: 'velero.version',
    component: 'Velero',
    // 1.18.2 (a patch of 1.18): the chart's image tag is a value, so both charts run it; its
    // objects are validated against the 1.18.1 CRDs in ../shared/upstream (no 1.18.2 copy there).
    versions: ['1.18.2'],
    testedBy: "the manifests' validation against that release's CRDs and the restore-modifier tests",
  },
  veleroAwsPlugin: {
    field: 'velero.awsPluginVersion',
    component: 'Velero plugin for AWS',
    // v1.14.x is the plugin line built against Velero 1.18.
    versions: ['v1.14.2'],
    testedBy: 'a plugin release built against the Velero version above',
  },
  externalDnsChart: {
    field: 'dns.externalDnsChartVersion',
    component: 'ExternalDNS Helm chart',
    // Chart 1.22.0 runs ExternalDNS v0.22.0 (its appVersion, the image tag it renders):
    // registry.k8s.io/external-dns/external-dns:v0.22.0. The tests render the chart as the
    // v0.23.0 tag of sigs.k8s.io/external-dns holds it (released 1.22.0, nothing unreleased).
    versions: ['1.22.0'],
    testedBy: "the rendering of that chart (scripts/local-stack/go-charts.tsv) with our values: the Deployment's arguments and the Pod Identity service account",
  },
  postgres: {
    field: 'harbor.database.engineVersion',
    component: 'RDS PostgreSQL (external database)',
    // A major only: RDS creates the newest default minor it offers, and autoMinorVersionUpgrade
    // keeps it current. A pinned minor fails the first create once AWS stops offering it.
    versions: ['16'],
    testedBy: "Harbor's supported PostgreSQL range and the RDS engine versions the CDK app can create",
  },
} as const satisfies Record<string, TestedComponent>;

export type TestedComponentKey = keyof typeof TESTED_VERSIONS;

/** The versions the config states, by component (absent when the field is not used). */
function statedVersions(c: EnvironmentConfig): Record<TestedComponentKey, string | undefined> {
  return {
    kubernetes: c.cluster.kubernetesVersion,
    harborChart: c.harbor.chartVersion,
    veleroChart: c.velero.chartVersion,
    velero: c.velero.version,
    veleroAwsPlugin: c.velero.awsPluginVersion,
    externalDnsChart: c.dns.externalDnsChartVersion,
    postgres: c.harbor.database.type === 'external' ? c.harbor.database.engineVersion : undefined,
  };
}

/** The problem with one stated version, or undefined when it is tested. */
export function untestedVersion(key: TestedComponentKey, value: string): Problem | undefined {
  const t: TestedComponent = TESTED_VERSIONS[key];
  const normal = (v: string) => (key === 'velero' ? v.replace(/^v/, '') : v);
  if (t.versions.some((v) => normal(v) === normal(value))) return undefined;
  return {
    path: t.field,
    message: `"${value}" is not a version of the ${t.component} this platform is tested with`,
    fix: `use ${t.versions.length === 1 ? '' : 'one of '}${t.versions.join(', ')} (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs ${t.testedBy} to pass first)`,
  };
}

/** Every untested version in the config. */
export function checkVersions(c: EnvironmentConfig): Problem[] {
  return Object.entries(statedVersions(c)).flatMap(([key, value]) => {
    const p = value === undefined ? undefined : untestedVersion(key as TestedComponentKey, value);
    return p ? [p] : [];
  });
}

/** The table as Markdown, the way the README shows it. */
export function testedVersionsMarkdown(): string {
  const rows = Object.values(TESTED_VERSIONS as Record<string, TestedComponent>).map(
    (t) => `| ${t.component} | \`${t.field}\` | ${t.versions.join(', ')} | ${t.testedBy} |`,
  );
  return ['| component | config field | tested versions | a new version needs |', '|---|---|---|---|', ...rows].join('\n');
}
