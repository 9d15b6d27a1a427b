import { SECRET_JSON_KEYS, stackSecrets } from '@harbor-platform/config';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { environment, refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testStack, type SynthesizedEnvironment } from './util.js';
import { PlatformSecrets } from '../src/index.js';
import { referencedSecrets } from '../src/stacks/secret-specs.js';

describe('PlatformSecrets in the dev stack', () => {
  let dev: SynthesizedEnvironment;
  let secrets: Record<string, any>[];
  beforeAll(() => {
    dev = synthesizeEnvironment('dev');
    // The token signing key has its own test (token-signing-key.test.ts): a custom resource fills it.
    secrets = Object.values(resourcesOf(dev.template, 'AWS::SecretsManager::Secret')).map((s) => s.Properties).filter((s) => s.Name !== dev.config.harbor.tokenSigningSecret);
  }, SYNTH_TIMEOUT);

  it('creates each secret the config names, under that name', () => {
    const c = dev.config;
    expect(secrets.map((s) => s.Name).sort()).toEqual(
      [c.harbor.adminPasswordSecret, c.harbor.internalSecretsSecret, c.minio.rootCredentialsSecret, c.minio.harborCredentialsSecret].sort(),
    );
  });

  it("creates exactly the secrets config's stackSecrets lists, which preflight checks for leftovers before a first deploy", () => {
    const all = Object.values(resourcesOf(dev.template, 'AWS::SecretsManager::Secret')).map((s) => s.Properties.Name);
    expect(all.sort()).toEqual(stackSecrets(dev.config).map((s) => s.secretName).sort());
  });

  it('lets Secrets Manager generate every value: no value in the template', () => {
    for (const s of secrets) {
      expect(s.SecretString).toBeUndefined();
      expect(s.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    }
  });

  it('lays each secret out as External Secrets reads it', () => {
    const byName = new Map(secrets.map((s) => [s.Name, s.GenerateSecretString]));
    expect(byName.get(dev.config.harbor.adminPasswordSecret)).toMatchObject({ GenerateStringKey: SECRET_JSON_KEYS.harborAdmin.password, SecretStringTemplate: '{}' });
    expect(byName.get(dev.config.harbor.internalSecretsSecret)).toMatchObject({
      GenerateStringKey: SECRET_JSON_KEYS.harborInternalSeed.seed,
      PasswordLength: 64,
    });
    expect(JSON.parse(byName.get(dev.config.minio.harborCredentialsSecret).SecretStringTemplate)).toEqual({ [SECRET_JSON_KEYS.minioHarbor.username]: 'harbor-registry' });
    expect(byName.get(dev.config.minio.rootCredentialsSecret).GenerateStringKey).toBe(SECRET_JSON_KEYS.minioRoot.password);
  });

  it('encrypts them with a rotating customer-managed key', () => {
    const keys = new Set(secrets.map((s) => refId(s.KmsKeyId)));
    expect(keys.size).toBe(1);
    expect(resourcesOf(dev.template, 'AWS::KMS::Key')[[...keys][0]!]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('references the LDAP bind secret by name without creating it', () => {
    expect(secrets.map((s) => s.Name)).not.toContain(dev.config.ldap.bindPasswordSecret);
    expect(JSON.stringify(dev.template.toJSON())).toContain(`:secret:${dev.config.ldap.bindPasswordSecret}-??????`);
  });
});

describe('PlatformSecrets props', () => {
  const make = (props: Partial<ConstructorParameters<typeof PlatformSecrets>[2]>) => () =>
    new PlatformSecrets(testStack(), 'Secrets', { generated: { a: { secretName: 'x/a', description: 'a', generatedKey: 'password' } }, ...props });

  it('refuses a name Secrets Manager would refuse', () => {
    expect(make({ generated: { a: { secretName: 'bad name!', description: 'a', generatedKey: 'password' } } })).toThrow(/generated.a.secretName: "bad name!" is not a Secrets Manager name/);
  });

  it('refuses a generated key that is also a fixed field', () => {
    expect(make({ generated: { a: { secretName: 'x/a', description: 'a', generatedKey: 'password', fixed: { password: 'x' } } } })).toThrow(/generated.a.fixed: repeats the generated key "password"/);
  });

  it('refuses two roles sharing one secret', () => {
    expect(make({ referenced: { b: 'x/a' } })).toThrow(/secret names repeat \(x\/a\): give each role its own secret/);
  });

  it('refuses a short generated value', () => {
    expect(make({ generated: { a: { secretName: 'x/a', description: 'a', generatedKey: 'password', length: 8 } } })).toThrow(/generated.a.length: 8: use 16 to 4096 characters/);
  });

  it('names the known roles when asked for an unknown one', () => {
    const stack = testStack();
    const s = new PlatformSecrets(stack, 'Secrets', { generated: { a: { secretName: 'x/a', description: 'a', generatedKey: 'password' } } });
    Template.fromStack(stack);
    expect(() => s.secret('b')).toThrow(/no secret "b": known roles are a/);
  });
});

describe('referenced secrets', () => {
  it('lets External Secrets read the LDAP CA bundle the config names, next to the bind password', () => {
    const { config } = environment('prod');
    expect(referencedSecrets(config)).toEqual({ ldapBind: config.ldap.bindPasswordSecret });
    const withCa = { ...config, ldap: { ...config.ldap, caBundleSecret: 'harbor-platform/prod/ldap-ca' } };
    expect(referencedSecrets(withCa)).toEqual({ ldapBind: config.ldap.bindPasswordSecret, ldapCaBundle: 'harbor-platform/prod/ldap-ca' });
  });
});
