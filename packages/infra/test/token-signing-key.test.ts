import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { SECRET_JSON_KEYS } from '@harbor-platform/config';
import { Key } from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testStack, type SynthesizedEnvironment } from './util.js';
import { fillOnce, handle, holdsKeyPair, selfSignedKeyPair, type SecretStore } from '../assets/token-signing-key/index.mjs';
import { DEFAULTS, TokenSigningKey } from '../src/index.js';

const FIELDS = SECRET_JSON_KEYS.tokenSigning;
const PROPS = { SecretId: 'arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:harbor-platform/dev/harbor-token-signing-AbCdEf', PrivateKeyField: FIELDS.privateKey, CertificateField: FIELDS.certificate, CommonName: 'harbor-token-ca', ValidityDays: '3650' };

/** Secrets Manager's two calls over a map, recording the writes. */
function memoryStore(initial: string | undefined): SecretStore & { value: string | undefined; puts: number } {
  return {
    value: initial,
    puts: 0,
    async get() {
      return this.value;
    },
    async put(_id, value) {
      this.value = value;
      this.puts++;
    },
  };
}

describe('the fill Lambda\'s key pair', () => {
  const now = new Date('2026-11-30T00:00:00Z');
  const pair = selfSignedKeyPair({ commonName: 'harbor-token-ca', days: 3650, now });
  const cert = new X509Certificate(pair.certificate);

  it('is an RSA key (PKCS#1 PEM, as the chart\'s genCA writes it) of 4096 bits', () => {
    expect(pair.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(createPublicKey(pair.privateKey).asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('comes with a self-signed v3 CA certificate for that key, valid for the days asked', () => {
    expect(cert.subject).toBe('CN=harbor-token-ca');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.ca).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(pair.privateKey))).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2036-11-27T00:00:00.000Z');
  });

  it('writes dates after 2049 as GeneralizedTime, which OpenSSL reads back', () => {
    const late = new X509Certificate(selfSignedKeyPair({ commonName: 'x', days: 365, now: new Date('2049-12-01T00:00:00Z'), modulusLength: 2048 }).certificate);
    expect(new Date(late.validTo).toISOString()).toBe('2050-12-01T00:00:00.000Z');
  });

  it('is recognised as a pair only when the certificate belongs to the key', () => {
    const other = selfSignedKeyPair({ commonName: 'x', days: 1, modulusLength: 2048 });
    const json = (privateKey: string, certificate: string) => JSON.stringify({ [FIELDS.privateKey]: privateKey, [FIELDS.certificate]: certificate });
    expect(holdsKeyPair(json(pair.privateKey, pair.certificate), FIELDS)).toBe(true);
    expect(holdsKeyPair(json(other.privateKey, pair.certificate), FIELDS)).toBe(false);
    expect(holdsKeyPair('aGeneratedPlaceholderPassword', FIELDS)).toBe(false);
    expect(holdsKeyPair(undefined, FIELDS)).toBe(false);
  });
});

describe('filling the secret', () => {
  it('replaces the placeholder Secrets Manager generated, then keeps the pair on every later run', async () => {
    const store = memoryStore('aGeneratedPlaceholderPassword');
    expect(await fillOnce(store, PROPS)).toBe('created');
    const first = store.value;
    expect(holdsKeyPair(first, FIELDS)).toBe(true);
    expect(await fillOnce(store, PROPS)).toBe('kept');
    expect(await fillOnce(store, { ...PROPS, ValidityDays: '30' })).toBe('kept');
    expect(store.value).toBe(first);
    expect(store.puts).toBe(1);
  }, 60_000);

  it('answers CloudFormation without touching the retained secret on Delete', async () => {
    const store = memoryStore(undefined);
    const bodies: string[] = [];
    const r = await handle({ RequestType: 'Delete', ResourceProperties: PROPS, ResponseURL: 'https://cfn', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' }, { store, respond: async (_u, b) => void bodies.push(b) });
    expect(r.Status).toBe('SUCCESS');
    expect(store.puts).toBe(0);
    expect(JSON.parse(bodies[0]!)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PROPS.SecretId, RequestId: 'r' });
  });

  it('reports a failure as FAILED naming the secret, with no key material in the response', async () => {
    const store: SecretStore = {
      get: async () => {
        throw new Error('AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue');
      },
      put: async () => {},
    };
    const bodies: string[] = [];
    const r = await handle({ RequestType: 'Create', ResourceProperties: PROPS, ResponseURL: 'https://cfn' }, { store, respond: async (_u, b) => void bodies.push(b) });
    expect(r.Status).toBe('FAILED');
    expect(r.Reason).toBe(`filling ${PROPS.SecretId}: AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue`);
    expect(bodies[0]).not.toContain('PRIVATE KEY');
  });
});

describe('TokenSigningKey in the dev stack', () => {
  let dev: SynthesizedEnvironment;
  beforeAll(() => {
    dev = synthesizeEnvironment('dev');
  }, SYNTH_TIMEOUT);

  const secretId = () => Object.entries(resourcesOf(dev.template, 'AWS::SecretsManager::Secret')).find(([, s]) => s.Properties.Name === dev.config.harbor.tokenSigningSecret)![0];
  const fill = () => Object.entries(dev.template.findResources('Custom::HarborTokenSigningKey'))[0]!;

  it('creates the secret the config names, retained, and fills it through the custom resource', () => {
    const [, resource] = fill();
    expect(refId(resource.Properties.SecretId)).toBe(secretId());
    expect(resource.Properties).toMatchObject({ PrivateKeyField: 'privateKey', CertificateField: 'certificate', CommonName: 'harbor-token-ca', ValidityDays: '3650' });
    expect(dev.template.toJSON().Resources[secretId()].DeletionPolicy).toBe('Retain');
  });

  it('gives the Lambda read and write on that secret only, and nothing on other secrets', () => {
    const [, resource] = fill();
    const fnId = refId(resource.Properties.ServiceToken)!;
    const fn = resourcesOf(dev.template, 'AWS::Lambda::Function')[fnId]!;
    expect(fn.Properties.Runtime).toBe(DEFAULTS.tokenSigning.runtime.name);
    const roleId = refId(fn.Properties.Role)!;
    const statements = Object.values(resourcesOf(dev.template, 'AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => refId(r) === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const secretStatements = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(secretStatements.flatMap((s: any) => [s.Resource].flat().map(refId))).toEqual(secretStatements.map(() => secretId()));
    const actions = secretStatements.flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']));
    expect(actions.filter((a: string) => /Delete|\*/.test(a))).toEqual([]);
  });

  it('starts External Secrets only after the secret is filled', () => {
    const [fillId] = fill();
    const eso = Object.entries(dev.template.findResources('Custom::AWSCDK-EKS-HelmChart')).find(([, r]) => r.Properties.Chart === 'external-secrets')!;
    expect(eso[1].DependsOn).toContain(fillId);
  });
});

describe('TokenSigningKey props', () => {
  it('refuses a validity that is not a whole number of days, and one key for both fields', () => {
    const stack = testStack();
    expect(() => new TokenSigningKey(stack, 'T', { secretName: 'x/y', fields: { privateKey: 'k', certificate: 'k' }, encryptionKey: new Key(stack, 'K'), validityDays: 0.5 })).toThrow(
      'TokenSigningKey: invalid props:\n  - validityDays: 0.5: use a whole number of days, at least 1\n  - fields: privateKey and certificate are both "k": give each its own JSON key',
    );
  });
});
