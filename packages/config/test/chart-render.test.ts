import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadWith } from './util.js';
import { HARBOR_RELEASE, HARBOR_SETTINGS_CHECKSUM_ANNOTATION, harborUserSettingsChecksum, planEnvironment, REDIS_AUTH_TOKEN_REVISION_ANNOTATION, VELERO_RELEASE, type EnvironmentConfig } from '../src/index.js';
import { chartCases, chartReleases, harborRegistryConfig, renderChart, upstreamChart } from '../src/testing/index.js';

function config(name: 'dev' | 'prod' = 'dev', mutate: (raw: any) => void = () => {}): EnvironmentConfig {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}

describe('chartReleases and chartCases', () => {
  it('are the releases the CDK app installs: names, namespaces, the cluster version', () => {
    const c = config('prod');
    const releases = chartReleases(c).map(({ name, release, namespace, kubeVersion, ref }) => ({
      name, release, namespace, kubeVersion, version: ref.version,
    }));
    expect(releases).toEqual([
      { name: 'velero', release: VELERO_RELEASE, namespace: c.velero.namespace, kubeVersion: c.cluster.kubernetesVersion, version: c.velero.chartVersion },
      { name: 'harbor', release: HARBOR_RELEASE, namespace: c.harbor.namespace, kubeVersion: c.cluster.kubernetesVersion, version: c.harbor.chartVersion },
    ]);
  });

  it('cover every environment and each variant that changes it', () => {
    const names = chartCases().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['dev', 'dev, external database and Redis', 'dev, Trivy off', 'dev, LDAP CA bundle', 'dev, file-system backup on', 'prod', 'prod, internal database and Redis']));
    expect(names).not.toContain('prod, external database and Redis');
    const external = chartCases().find((c) => c.name === 'dev, external database and Redis')!.config;
    expect([external.harbor.database.type, external.harbor.redis.type]).toEqual(['external', 'external']);
  });
});

describe('renderChart and harborRegistryConfig on the upstream Harbor chart', () => {
  it('renders the registry config.yml from our storage settings', () => {
    const c = config();
    const harbor = chartReleases(c).find((r) => r.name === 'harbor')!;
    if (!upstreamChart(harbor.ref)) return;
    const yml = parse(harborRegistryConfig(harbor));
    const s = planEnvironment(c).registryStorage;
    const { region, bucket, regionendpoint, v4auth, chunksize } = s;
    expect(yml.storage.s3).toEqual({ region, bucket, regionendpoint, v4auth, chunksize });
    expect(yml.storage.redirect).toEqual({ disable: s.disableredirect });
    expect(yml.http.addr).toBe(':5000');
  }, 120_000);

  it('says which template refused the values, in Helm\'s words', () => {
    const harbor = chartReleases(config()).find((r) => r.name === 'harbor')!;
    const chart = upstreamChart(harbor.ref);
    if (!chart) return;
    const values = { ...harbor.values, internalTLS: { enabled: true, certSource: 'manual' } };
    expect(() => renderChart({ ...harbor, chart, values })).toThrow(/^helm template harbor .*harbor-1\.19\.1: Error: .*The "internalTLS\.trustCa" is required!/s);
  }, 120_000);
});

describe("core rolls when Harbor's settings change (the real chart's core Deployment)", () => {
  /** The pod template annotations of harbor-core, as `helm template` renders them. */
  function coreAnnotations(c: EnvironmentConfig): Record<string, string> | undefined {
    const harbor = chartReleases(c).find((r) => r.name === 'harbor')!;
    const chart = upstreamChart(harbor.ref);
    if (!chart) return undefined;
    const [core] = renderChart({ ...harbor, chart, showOnly: ['templates/core/core-dpl.yaml'] });
    expect(core).toMatchObject({ kind: 'Deployment', metadata: { name: 'harbor-core' } });
    return core!.spec.template.metadata.annotations;
  }

  it('a changed LDAP setting changes the pod template annotation; an unrelated change does not', () => {
    const base = coreAnnotations(config());
    if (!base) return;
    expect(base[HARBOR_SETTINGS_CHECKSUM_ANNOTATION]).toBe(harborUserSettingsChecksum(config()));
    const changed = coreAnnotations(config('dev', (raw) => (raw.ldap.groups.adminDn = 'cn=registry-admins,ou=groups,dc=example,dc=com')))!;
    expect(changed[HARBOR_SETTINGS_CHECKSUM_ANNOTATION]).not.toBe(base[HARBOR_SETTINGS_CHECKSUM_ANNOTATION]);
    // Trivy's volume size and the GC schedule are not core settings: the annotation stays. The chart's own
    // checksum/secret differs on every render (without core.secretName it generates a new token certificate).
    const unrelated = coreAnnotations(config('dev', (raw) => {
      raw.harbor.storage.trivy = '20Gi';
      raw.harbor.gc.cron = '0 7 * * 6';
    }))!;
    const { 'checksum/secret': _unrelatedSecret, ...stable } = unrelated;
    const { 'checksum/secret': _baseSecret, ...baseStable } = base;
    expect(stable).toEqual(baseStable);
    expect(stable[HARBOR_SETTINGS_CHECKSUM_ANNOTATION]).toBe(base[HARBOR_SETTINGS_CHECKSUM_ANNOTATION]);
  }, 240_000);

  it('a raised harbor.redis.authTokenRevision changes the pod template, so a rotated Redis token reaches a new render', () => {
    const base = coreAnnotations(config('prod'));
    if (!base) return;
    expect(base[REDIS_AUTH_TOKEN_REVISION_ANNOTATION]).toBe('0');
    const rotated = coreAnnotations(config('prod', (raw) => (raw.harbor.redis.authTokenRevision = 1)))!;
    expect(rotated[REDIS_AUTH_TOKEN_REVISION_ANNOTATION]).toBe('1');
    // Internal Redis has no token to rotate: no annotation.
    expect(coreAnnotations(config('dev'))!).not.toHaveProperty([REDIS_AUTH_TOKEN_REVISION_ANNOTATION]);
  }, 240_000);
});
