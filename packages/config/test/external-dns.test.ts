import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadWith, problemsWith, schemaProblemsWith } from './util.js';
import {
  EXTERNAL_DNS,
  externalDnsChart,
  externalDnsSettings,
  externalDnsValues,
  formatProblem,
  planEnvironment,
  TESTED_VERSIONS,
  untestedVersion,
  type EnvironmentConfig,
  type ExternalDnsSettings,
} from '../src/index.js';
import { goModuleChart, lintChart, renderChart, type RenderedObject } from '../src/testing/index.js';

function config(name: 'dev' | 'prod' = 'dev', mutate: (raw: any) => void = () => {}): EnvironmentConfig {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.config;
}

/** The ExternalDNS slice of a validated environment, as the CDK app takes it. */
const settingsOf = (c: EnvironmentConfig): ExternalDnsSettings => externalDnsSettings(c, planEnvironment(c));

/** The cluster names the tests pass; in the CDK app it is the cluster construct's own name. */
const CLUSTER = { dev: 'harbor-platform-dev', prod: 'harbor-platform-prod' } as const;

/** The real ExternalDNS chart (unpacked by install-go-tools) rendered with our values. */
function render(name: 'dev' | 'prod', c = config(name)): RenderedObject[] {
  return renderChart({
    chart: goModuleChart(externalDnsChart(c.dns.externalDnsChartVersion).chart),
    values: externalDnsValues(settingsOf(c), { clusterName: CLUSTER[name] }),
    release: EXTERNAL_DNS.release,
    namespace: EXTERNAL_DNS.namespace,
    kubeVersion: c.cluster.kubernetesVersion,
  });
}

const one = (objects: RenderedObject[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found.map((o) => o.metadata.name), `one ${kind}`).toHaveLength(1);
  return found[0]!;
};

describe('ExternalDNS on the real chart (the version TESTED_VERSIONS pins)', () => {
  it.each(['dev', 'prod'] as const)('%s: the Deployment runs the AWS provider on the configured zone alone, upsert-only, owned by the cluster', (name) => {
    const c = config(name);
    const container = one(render(name, c), 'Deployment').spec.template.spec.containers[0];
    const args: string[] = container.args;
    expect(args).toEqual(
      expect.arrayContaining([
        '--provider=aws',
        '--policy=upsert-only',
        '--registry=txt',
        `--txt-owner-id=${CLUSTER[name]}`,
        `--domain-filter=${c.dns.hostedZone}`,
        `--zone-id-filter=${c.dns.hostedZoneId}`,
        `--namespace=${c.harbor.namespace}`,
      ]),
    );
    // Exactly one zone by name and by ID, and Harbor's Ingress as the only source.
    expect(args.filter((a) => /^--(domain-filter|zone-id-filter|source)=/.test(a))).toEqual([
      '--source=ingress',
      `--domain-filter=${c.dns.hostedZone}`,
      `--zone-id-filter=${c.dns.hostedZoneId}`,
    ]);
    expect(args.some((a) => a.startsWith('--policy=') && a !== '--policy=upsert-only')).toBe(false);
    expect(container.env).toContainEqual({ name: 'AWS_DEFAULT_REGION', value: c.aws.region });
    // The chart's own image: its appVersion, which TESTED_VERSIONS records for the chart version.
    expect(container.image).toBe('registry.k8s.io/external-dns/external-dns:v0.22.0');
  }, 120_000);

  it('runs as the service account the Pod Identity association names, with no IRSA annotation', () => {
    const objects = render('dev');
    const account = one(objects, 'ServiceAccount');
    expect(account.metadata).toMatchObject({ name: EXTERNAL_DNS.serviceAccount, namespace: EXTERNAL_DNS.namespace });
    expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBeUndefined();
    const deployment = one(objects, 'Deployment');
    expect(deployment.metadata.namespace).toBe(EXTERNAL_DNS.namespace);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(EXTERNAL_DNS.serviceAccount);
    expect(deployment.spec.template.spec.automountServiceAccountToken).not.toBe(false);
  }, 120_000);

  it("may read Ingresses in Harbor's namespace only: a Role there, no ClusterRole", () => {
    const c = config();
    const objects = render('dev', c);
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    const role = one(objects, 'Role');
    expect(role.metadata.namespace).toBe(c.harbor.namespace);
    expect(role.rules).toEqual([{ apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'watch', 'list'] }]);
    const binding = one(objects, 'RoleBinding');
    expect(binding.metadata.namespace).toBe(c.harbor.namespace);
    expect(binding.roleRef).toMatchObject({ kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: EXTERNAL_DNS.serviceAccount, namespace: EXTERNAL_DNS.namespace }]);
  }, 120_000);

  it("sets only keys the chart's values.yaml declares (its schema lets unknown ones pass silently)", () => {
    const declared = parse(readFileSync(join(goModuleChart('external-dns'), 'values.yaml'), 'utf8'));
    const values = externalDnsValues(settingsOf(config('prod')), { clusterName: CLUSTER.prod });
    expect(Object.keys(values).filter((k) => !(k in declared))).toEqual([]);
    for (const k of ['provider', 'serviceAccount'] as const) {
      expect(Object.keys(values[k] as object).filter((sub) => !(sub in declared[k]))).toEqual([]);
    }
  });

  it('passes helm lint --strict with our values', () => {
    const c = config('prod');
    const r = lintChart({
      chart: goModuleChart('external-dns'),
      values: externalDnsValues(settingsOf(c), { clusterName: CLUSTER.prod }),
      release: EXTERNAL_DNS.release,
      namespace: EXTERNAL_DNS.namespace,
      kubeVersion: c.cluster.kubernetesVersion,
    });
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
  }, 120_000);

  it('is refused by the chart without a policy (1.22.0 made it required), so ours is what runs', () => {
    const c = config();
    const { policy: _policy, ...values } = externalDnsValues(settingsOf(c), { clusterName: CLUSTER.dev });
    expect(() =>
      renderChart({ chart: goModuleChart('external-dns'), values, release: EXTERNAL_DNS.release, namespace: EXTERNAL_DNS.namespace, kubeVersion: c.cluster.kubernetesVersion }),
    ).toThrow(/at '\/policy': got null, want string/);
  }, 120_000);
});

describe('dns.hostedZoneId and the ExternalDNS chart version', () => {
  it('refuses a zone ID that is not one, naming the command that prints it', () => {
    expect(schemaProblemsWith((raw) => (raw.dns.hostedZoneId = '/hostedzone/Z1111111111111EXAMPLE'))).toEqual([
      'dns.hostedZoneId: is not a Route 53 hosted zone ID: write the ID alone, Z followed by upper-case letters and digits, as aws route53 list-hosted-zones-by-name --dns-name <zone> prints it (HostedZones[0].Id without /hostedzone/)',
    ]);
    expect(schemaProblemsWith((raw) => (raw.dns.hostedZoneId = 'z1111111111111example'))).toHaveLength(1);
  });

  it('asks for a missing zone ID with the command that prints it', () => {
    expect(schemaProblemsWith((raw) => delete raw.dns.hostedZoneId)).toEqual([
      'dns.hostedZoneId: is required: add the ID of the zone dns.hostedZone names, as aws route53 list-hosted-zones-by-name --dns-name <dns.hostedZone> prints it (HostedZones[0].Id without /hostedzone/)',
    ]);
  });

  it('refuses an untested chart version in validate and in the chart reference alike', () => {
    const message = formatProblem(untestedVersion('externalDnsChart', '1.20.0')!);
    expect(problemsWith((raw) => (raw.dns.externalDnsChartVersion = '1.20.0'))).toEqual([message]);
    expect(message).toBe(
      `dns.externalDnsChartVersion: "1.20.0" is not a version of the ExternalDNS Helm chart this platform is tested with: use 1.22.0 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs ${TESTED_VERSIONS.externalDnsChart.testedBy} to pass first)`,
    );
    expect(() => externalDnsChart('1.20.0')).toThrow(message);
    expect(() => externalDnsValues({ ...settingsOf(config()), chartVersion: '1.20.0' }, { clusterName: CLUSTER.dev })).toThrow(message);
  });

  it("takes the zone by name and ID, Harbor's hostname and namespace, the region and the chart version from the environment", () => {
    const c = config('prod');
    const plan = planEnvironment(c);
    expect(externalDnsSettings(c, plan)).toEqual({
      chartVersion: c.dns.externalDnsChartVersion,
      hostedZone: c.dns.hostedZone,
      hostedZoneId: c.dns.hostedZoneId,
      harborHostname: c.dns.harborHostname,
      sourceNamespace: c.harbor.namespace,
      region: c.aws.region,
    });
    expect(plan.harbor).toMatchObject({ hostedZoneId: c.dns.hostedZoneId, hostname: c.dns.harborHostname });
  });
});
