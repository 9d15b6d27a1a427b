import { HARBOR_SECRETS, harborValues, KNOWN_DEFAULT_SECRETS } from '@harbor-platform/config';
import type { PlannedEnvironment } from '@harbor-platform/config/testing';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, named, ofKind, synth, variants } from './util.js';
import { derived as derivedValue, HarborSecretsChart } from '../src/index.js';

/** HarborSecretsChart alone: Harbor's namespace from the plan, the secret names and LDAP settings from the config. */
function harborSecrets({ config, plan }: PlannedEnvironment): { objects: any[] } {
  return { objects: new HarborSecretsChart(Testing.app(), 'harbor-secrets', { plan: { names: plan.names }, config }).toJson() };
}

/** Every env var of every container in an object. */
function envVars(o: any): any[] {
  const specs = [o.spec?.template?.spec, o.spec?.jobTemplate?.spec?.template?.spec].filter(Boolean);
  return specs.flatMap((s: any) => [...(s.containers ?? []), ...(s.initContainers ?? [])]).flatMap((c: any) => c.env ?? []);
}

const SECRETISH = /PASSWORD|SECRET|ACCESS_KEY|TOKEN/;

describe('no secret value in the manifests', () => {
  for (const [name, config] of variants()) {
    it(`has no Secret object and no literal credential (${name})`, () => {
      const { objects } = synth(config);
      expect(ofKind(objects, 'Secret')).toEqual([]);
      const text = JSON.stringify(objects);
      for (const s of KNOWN_DEFAULT_SECRETS) expect(text).not.toContain(s);
      for (const v of objects.flatMap(envVars).filter((e) => SECRETISH.test(e.name))) {
        expect(v.value, v.name).toBeUndefined();
        expect(v.valueFrom.secretKeyRef.name).toBeTruthy();
      }
    });
  }

  it('reads every ExternalSecret value from a secret the config names', () => {
    const prod = environment('prod');
    const c = prod.config;
    const named_ = new Set([
      c.minio.rootCredentialsSecret,
      c.minio.harborCredentialsSecret,
      c.harbor.adminPasswordSecret,
      c.harbor.internalSecretsSecret,
      c.harbor.tokenSigningSecret,
      c.ldap.bindPasswordSecret,
      c.harbor.database.type === 'external' ? c.harbor.database.credentialsSecret : undefined,
      c.harbor.redis.type === 'external' ? c.harbor.redis.authTokenSecret : undefined,
    ]);
    const used = ofKind(synth(prod).objects, 'ExternalSecret').flatMap((e) => e.spec.data.map((d: any) => d.remoteRef.key));
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect(named_.has(key), key).toBe(true);
    expect(new Set(used)).toEqual(new Set([...named_].filter(Boolean)));
  });

  it('derives Harbor internal secrets from the seed with the lengths Harbor needs', () => {
    const internal = named(harborSecrets(environment()).objects, 'ExternalSecret', HARBOR_SECRETS.internal);
    const t = internal.spec.target.template.data;
    expect(t.secretKey).toBe('{{ (printf "%s:secret-key" .seed | sha256sum) | trunc 16 }}');
    expect(t.CSRF_KEY).toMatch(/\| trunc 32 }}$/);
    expect(t.REGISTRY_HTPASSWD).toBe('{{ htpasswd "harbor_registry_user" (printf "%s:registry-credentials" .seed | sha256sum) }}');
    expect(t.REGISTRY_PASSWD).toBe(derivedValue('registry-credentials'));
    // Each secret has its own purpose label, so no two share a value (the htpasswd hashes the registry password).
    const purpose = (key: string) => /"%s:([a-z-]+)"/.exec(t[key])?.[1];
    const keys = ['secretKey', 'secret', 'JOBSERVICE_SECRET', 'REGISTRY_HTTP_SECRET', 'CSRF_KEY', 'REGISTRY_PASSWD', 'password'];
    expect(new Set(keys.map(purpose)).size).toBe(keys.length);
    expect(purpose('REGISTRY_HTPASSWD')).toBe(purpose('REGISTRY_PASSWD'));
    expect(t.POSTGRES_PASSWORD).toBe(t.password);
    expect(internal.spec.refreshPolicy).toBe('OnChange');
  });

  it('takes the database password from the RDS secret with an external database', () => {
    const internal = named(harborSecrets(environment('prod')).objects, 'ExternalSecret', HARBOR_SECRETS.internal);
    expect(internal.spec.data).toContainEqual({ secretKey: 'databasePassword', remoteRef: { key: 'harbor-platform/prod/harbor-database', property: 'password' } });
    expect(internal.spec.target.template.data.password).toBe('{{ .databasePassword }}');
  });

  it('renders the LDAP settings with the bind password added in the cluster', () => {
    const settings = named(harborSecrets(environment()).objects, 'ExternalSecret', HARBOR_SECRETS.userSettings);
    expect(settings.spec.data).toEqual([{ secretKey: 'ldapSearchPassword', remoteRef: { key: 'harbor-platform/dev/ldap-bind' } }]);
    expect(settings.spec.target.template.data.CONFIG_OVERWRITE_JSON).toContain('"ldap_search_password":{{ .ldapSearchPassword | toJson }}');
  });

  it("syncs the LDAP CA bundle into Harbor's namespace under the key and name the Harbor values mount", () => {
    const withCa = environment('prod', (raw) => (raw.ldap.caBundleSecret = 'harbor-platform/prod/ldap-ca'));
    const c = withCa.config;
    const ca = named(harborSecrets(withCa).objects, 'ExternalSecret', HARBOR_SECRETS.ldapCaBundle);
    expect(ca.metadata.namespace).toBe(c.harbor.namespace);
    expect(ca.spec.target.name).toBe(harborValues(c, withCa.plan, { databaseHost: 'db', redisAddress: 'redis:6379' }).caBundleSecretName);
    expect(ca.spec.data).toEqual([{ secretKey: 'ca.crt', remoteRef: { key: 'harbor-platform/prod/ldap-ca' } }]);
    expect(ofKind(synth(environment('prod')).objects, 'ExternalSecret').map((e) => e.metadata.name)).not.toContain(HARBOR_SECRETS.ldapCaBundle);
  });

  it("syncs the token signing key into the kubernetes.io/tls Secret the chart's core.secretName names", () => {
    const dev = environment('dev');
    const c = dev.config;
    const token = named(harborSecrets(dev).objects, 'ExternalSecret', HARBOR_SECRETS.tokenSigning);
    expect(token.metadata.namespace).toBe(c.harbor.namespace);
    expect(token.spec.target.name).toBe((harborValues(c, dev.plan).core as any).secretName);
    expect(token.spec.target.template.type).toBe('kubernetes.io/tls');
    expect(token.spec.data).toEqual([
      { secretKey: 'privateKey', remoteRef: { key: 'harbor-platform/dev/harbor-token-signing', property: 'privateKey' } },
      { secretKey: 'certificate', remoteRef: { key: 'harbor-platform/dev/harbor-token-signing', property: 'certificate' } },
    ]);
    expect(token.spec.target.template.data).toEqual({ 'tls.key': '{{ .privateKey }}', 'tls.crt': '{{ .certificate }}' });
    // Followed periodically, so a rotated key reaches the cluster.
    expect(token.spec.refreshInterval).toBe('1h');
  });
});
