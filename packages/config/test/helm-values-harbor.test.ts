import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { declaredKeys, leafPaths, undeclaredKeys } from './chart-keys.js';
import { loadWith } from './util.js';
import {
  CHECKPOINT_COMMAND,
  HARBOR_SECRET_KEYS,
  HARBOR_SECRETS,
  harborChart,
  harborUserSettings,
  harborUserSettingsTemplate,
  harborUserSettingsChecksum,
  HARBOR_SETTINGS_CHECKSUM_ANNOTATION,
  harborValues,
  KNOWN_DEFAULT_SECRETS,
  planEnvironment,
  type EnvironmentConfig,
  type HarborEndpoints,
} from '../src/index.js';
import { upstreamText } from '../src/testing/index.js';

/** The Harbor values of a validated environment, from its plan (as the CDK app and `npm run synth` pass it). */
const valuesOf = (c: EnvironmentConfig, endpoints?: HarborEndpoints) => harborValues(c, planEnvironment(c), endpoints);

function config(name: 'dev' | 'prod' = 'dev', mutate: (raw: any) => void = () => {}): EnvironmentConfig {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}

const PROD_ENDPOINTS = { databaseHost: 'harbor.abc.ap-northeast-2.rds.amazonaws.com', redisAddress: 'master.harbor.abc.apn2.cache.amazonaws.com:6379' };
const get = (o: any, path: string) => path.split('.').reduce((v, k) => v?.[k], o);

describe('harborValues against chart 1.19.1', () => {
  const text = upstreamText('harbor-helm-v1.19.1/values.yaml');

  it('emits only keys that the chart values.yaml declares (dev and prod)', () => {
    if (!text) return;
    const declared = declaredKeys(text);
    expect(declared.has('persistence.imageChartStorage.s3.regionendpoint')).toBe(true);
    expect(undeclaredKeys(valuesOf(config('dev')), declared)).toEqual([]);
    expect(undeclaredKeys(valuesOf(config('prod'), PROD_ENDPOINTS), declared)).toEqual([]);
  });

  it('the key walk catches a key the chart does not have', () => {
    if (!text) return;
    const declared = declaredKeys(text);
    expect(undeclaredKeys({ persistence: { imageChartStorage: { s3: { regionEndpoint: 'x' } } } }, declared)).toEqual([
      'persistence.imageChartStorage.s3.regionEndpoint',
    ]);
  });

  it('overrides every default secret the chart ships, and no known default password is emitted', () => {
    if (!text) return;
    const chart = parse(text);
    const defaultsThatAreSecrets = leafPaths(chart).filter((p) => KNOWN_DEFAULT_SECRETS.includes(get(chart, p)));
    expect(defaultsThatAreSecrets.sort()).toEqual(
      ['database.internal.password', 'harborAdminPassword', 'registry.credentials.password', 'secretKey'].sort(),
    );
    for (const c of [valuesOf(config('dev')), valuesOf(config('prod'), PROD_ENDPOINTS)]) {
      for (const path of defaultsThatAreSecrets) expect(get(c, path), path).toBe('');
      const json = JSON.stringify(c);
      for (const s of KNOWN_DEFAULT_SECRETS) expect(json).not.toContain(s);
    }
  });

  it('sets caBundleSecretName, which values.yaml documents and the templates mount from key ca.crt, only with an LDAP CA bundle', () => {
    if (!text) return;
    // values.yaml documents the key only in a comment ("# caBundleSecretName: \"\""), with the key the Secret must have.
    expect(text).toMatch(/^# caBundleSecretName: ""$/m);
    expect(text).toContain('the secret must contain key named "ca.crt"');
    const helpers = upstreamText('charts/harbor-1.19.1/templates/_helpers.tpl', 'the CA bundle mount check');
    if (helpers) expect(helpers).toMatch(/secretName: \{\{ \.Values\.caBundleSecretName \}\}[\s\S]*subPath: ca\.crt/);
    expect(HARBOR_SECRET_KEYS.caBundle).toBe('ca.crt');
    const withCa = valuesOf(config('prod', (raw) => (raw.ldap.caBundleSecret = 'harbor-platform/prod/ldap-ca')), PROD_ENDPOINTS);
    expect(withCa.caBundleSecretName).toBe(HARBOR_SECRETS.ldapCaBundle);
    const declared = declaredKeys(text);
    declared.add('caBundleSecretName');
    expect(undeclaredKeys(withCa, declared)).toEqual([]);
    expect(valuesOf(config('prod'), PROD_ENDPOINTS)).not.toHaveProperty('caBundleSecretName');
  });

  it('names the chart version it is tested with', () => {
    if (!text) return;
    const chartYaml = parse(upstreamText('harbor-helm-v1.19.1/Chart.yaml')!);
    expect(harborChart(config()).version).toBe(chartYaml.version);
  });
});

describe('harborValues', () => {
  it('points the registry at the in-cluster MinIO URL with scheme and port', () => {
    const c = config();
    const s3 = valuesOf(c).persistence.imageChartStorage as any;
    expect(s3.type).toBe('s3');
    expect(s3.disableredirect).toBe(true);
    expect(s3.s3.regionendpoint).toBe('http://minio.minio.svc.cluster.local:9000');
    expect(s3.s3).toMatchObject({ bucket: 'harbor-registry', region: 'ap-northeast-2', v4auth: true, existingSecret: HARBOR_SECRETS.registryS3 });
    expect(s3.s3).not.toHaveProperty('accesskey');
    expect(s3.s3).not.toHaveProperty('secretkey');
  });

  it('follows the plan, so a different MinIO service or namespace moves the endpoint', () => {
    const c = config('dev', (raw) => {
      raw.minio.namespace = 'objects';
      raw.velero.schedules[0].includedNamespaces = ['harbor', 'objects'];
      raw.minio.serviceName = 's3';
    });
    expect((valuesOf(c).persistence.imageChartStorage as any).s3.regionendpoint).toBe('http://s3.objects.svc.cluster.local:9000');
    expect(planEnvironment(c).registryStorage.regionendpoint).toBe('http://s3.objects.svc.cluster.local:9000');
  });

  it('exposes Harbor through an HTTPS-only ALB with the ACM certificate', () => {
    const c = config();
    const expose = valuesOf(c).expose as any;
    expect(expose.ingress.controller).toBe('alb');
    expect(expose.ingress.className).toBe('alb');
    expect(expose.ingress.hosts.core).toBe('harbor.dev.example.com');
    expect(expose.ingress.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(c.dns.certificateArn);
    expect(JSON.parse(expose.ingress.annotations['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTPS: 443 }]);
    expect(valuesOf(c).externalURL).toBe('https://harbor.dev.example.com');
  });

  it('uses internal database and Redis in dev, with the checkpoint hook and sizes from the config', () => {
    const v = valuesOf(config('dev')) as any;
    expect(v.database.type).toBe('internal');
    expect(v.redis.type).toBe('internal');
    expect(JSON.parse(v.database.podAnnotations['pre.hook.backup.velero.io/command'])).toEqual(CHECKPOINT_COMMAND);
    expect(v.database.podAnnotations['pre.hook.backup.velero.io/on-error']).toBe('Fail');
    expect(v.persistence.persistentVolumeClaim.database).toEqual({ storageClass: 'gp3-retain', size: '10Gi' });
    expect(v.persistence.persistentVolumeClaim.trivy).toEqual({ storageClass: 'gp3', size: '10Gi' });
    expect(v.database.internal.extraEnvVars).toEqual([
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: HARBOR_SECRETS.internal, key: 'POSTGRES_PASSWORD' } } },
    ]);
  });

  it('uses the external database and Redis in prod, passwords from Secrets', () => {
    const v = valuesOf(config('prod'), PROD_ENDPOINTS) as any;
    expect(v.database).toMatchObject({ type: 'external', external: { host: PROD_ENDPOINTS.databaseHost, port: '5432', coreDatabase: 'registry', existingSecret: HARBOR_SECRETS.internal } });
    expect(v.redis).toMatchObject({ type: 'external', external: { addr: PROD_ENDPOINTS.redisAddress, tlsOptions: { enable: true } } });
    expect(v.database).not.toHaveProperty('podAnnotations');
    // The chart ignores volumes of a database and Redis it does not run.
    expect(Object.keys(v.persistence.persistentVolumeClaim).sort()).toEqual(['trivy']);
  });

  it('refuses an external database without its address, naming what to pass', () => {
    expect(() => valuesOf(config('prod'))).toThrow(/databaseHost/);
    expect(() => valuesOf(config('prod'), { databaseHost: 'db' })).toThrow(/redisAddress/);
  });

  it('turns Trivy on and off with the config', () => {
    expect((valuesOf(config()) as any).trivy.enabled).toBe(true);
    const off = valuesOf(config('dev', (raw) => (raw.harbor.trivy.enabled = false))) as any;
    expect(off.trivy.enabled).toBe(false);
    expect(off.persistence.persistentVolumeClaim).not.toHaveProperty('trivy');
  });

  it('refuses a chart version the builder is not tested with', () => {
    expect(() => valuesOf(config('dev', (raw) => (raw.harbor.chartVersion = '1.20.0')))).toThrow(/^harbor\.chartVersion: "1\.20\.0" is not a version of the Harbor Helm chart this platform is tested with/);
  });

  it('sets LDAP through CONFIG_OVERWRITE_JSON from a Secret, not through configureUserSettings', () => {
    const core = (valuesOf(config()) as any).core;
    expect(core.configureUserSettings).toBeNull();
    expect(core.extraEnvVars).toEqual([
      { name: 'CONFIG_OVERWRITE_JSON', valueFrom: { secretKeyRef: { name: HARBOR_SECRETS.userSettings, key: 'CONFIG_OVERWRITE_JSON' } } },
    ]);
  });
});

describe('harborUserSettings', () => {
  it('maps the LDAP config to Harbor setting names', () => {
    expect(harborUserSettings(config())).toEqual({
      auth_mode: 'ldap_auth',
      self_registration: false,
      read_only: false,
      ldap_url: 'ldaps://ldap.dev.example.com:636',
      ldap_base_dn: 'ou=people,dc=example,dc=com',
      ldap_search_dn: 'cn=harbor,ou=services,dc=example,dc=com',
      ldap_filter: '(objectClass=inetOrgPerson)',
      ldap_uid: 'uid',
      ldap_scope: 2,
      ldap_timeout: 5,
      ldap_verify_cert: true,
      ldap_group_base_dn: 'ou=groups,dc=example,dc=com',
      ldap_group_search_filter: '(objectClass=groupOfNames)',
      ldap_group_attribute_name: 'cn',
      ldap_group_admin_dn: 'cn=harbor-admins,ou=groups,dc=example,dc=com',
      ldap_group_membership_attribute: 'memberof',
      ldap_group_search_scope: 2,
    });
  });

  it('templates the bind password in, producing valid JSON whatever the password holds', () => {
    const template = harborUserSettingsTemplate(config());
    // What External Secrets does with `{{ .ldapSearchPassword | toJson }}`.
    const password = 'p"a\\s{s}';
    const rendered = template.replace('{{ .ldapSearchPassword | toJson }}', JSON.stringify(password));
    expect(JSON.parse(rendered)).toEqual({ ...harborUserSettings(config()), ldap_search_password: password });
  });

  it('with anonymous search, writes the search DN and password empty: Harbor keeps any key left out, so one set before is cleared', () => {
    const c = config('dev', (raw) => {
      raw.ldap.anonymousSearch = true;
      delete raw.ldap.searchDn;
      delete raw.ldap.bindPasswordSecret;
    });
    expect(JSON.parse(harborUserSettingsTemplate(c))).toMatchObject({ ldap_search_dn: '', ldap_search_password: '' });
    expect(harborUserSettingsTemplate(c)).not.toContain('{{');
  });

  it('without ldap.groups, writes every group setting at its empty default, so removing groups clears them in Harbor', () => {
    const c = config('dev', (raw) => delete raw.ldap.groups);
    expect(harborUserSettings(c)).toMatchObject({
      ldap_group_base_dn: '',
      ldap_group_search_filter: '',
      ldap_group_attribute_name: '',
      ldap_group_admin_dn: '',
      ldap_group_membership_attribute: 'memberof',
      ldap_group_search_scope: 2,
    });
    expect(Object.keys(harborUserSettings(c)).sort()).toEqual(Object.keys(harborUserSettings(config())).sort());
  });

  it("puts the settings' checksum on core's pod template: it changes with a setting, not with the bind password's secret name or anything else", () => {
    const checksum = (c: ReturnType<typeof config>) => (valuesOf(c) as any).core.podAnnotations[HARBOR_SETTINGS_CHECKSUM_ANNOTATION];
    const base = checksum(config());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(base).toBe(harborUserSettingsChecksum(config()));
    expect(checksum(config('dev', (raw) => (raw.ldap.filter = '(objectClass=person)')))).not.toBe(base);
    expect(checksum(config('dev', (raw) => (raw.ldap.groups.adminDn = 'cn=registry-admins,ou=groups,dc=example,dc=com')))).not.toBe(base);
    expect(checksum(config('dev', (raw) => (raw.ldap.bindPasswordSecret = 'harbor-platform/dev/ldap-bind-2')))).toBe(base);
    expect(checksum(config('dev', (raw) => (raw.harbor.storage.trivy = '20Gi')))).toBe(base);
  });
});
