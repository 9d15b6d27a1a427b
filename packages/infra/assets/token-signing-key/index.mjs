// @ts-check
/**
 * CloudFormation custom resource (Lambda, Node.js runtime, no bundling: Node built-ins and the
 * runtime's AWS SDK only). Fills the Secrets Manager secret named by `SecretId`, once, with an
 * RSA key and a self-signed certificate for it, as PEM under the JSON keys `PrivateKeyField`
 * and `CertificateField`. A secret that already holds a matching pair is left as it is, so
 * stack updates and re-runs never change the key Harbor signs its registry tokens with. To
 * rotate: put anything else in the secret and redeploy (or update the resource).
 *
 * The certificate is what Harbor's chart generates itself with `genCA` (a v3 CA certificate,
 * RSA, SHA-256), written out here in DER because Node can parse certificates but not create
 * them, and the Lambda runtime ships no library that can.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-4.1
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/** @param {number} tag @param {Buffer[]} parts */
function der(tag, ...parts) {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

/** @param {number} n */
function derLength(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const sequence = (/** @type {Buffer[]} */ ...parts) => der(0x30, ...parts);
const set = (/** @type {Buffer[]} */ ...parts) => der(0x31, ...parts);
const octetString = (/** @type {Buffer} */ b) => der(0x04, b);
const bitString = (/** @type {Buffer} */ b, unusedBits = 0) => der(0x03, Buffer.from([unusedBits]), b);
const TRUE = der(0x01, Buffer.from([0xff]));
const NULL = der(0x05);

/** A non-negative INTEGER from big-endian bytes (minimal, with a 0 byte when the top bit is set). */
function integer(/** @type {Buffer} */ bytes) {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && !(b[1] & 0x80)) b = b.subarray(1);
  return der(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

/** @param {string} dotted */
function oid(dotted) {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v % 128));
    out.push(...groups);
  }
  return der(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). @param {Date} d */
function time(d) {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(s.slice(2))) : der(0x18, Buffer.from(s));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), NULL);

/** @param {string} commonName */
const distinguishedName = (commonName) => sequence(set(sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));

/** @param {string} type @param {Buffer} body */
const pem = (type, body) => `-----BEGIN ${type}-----\n${body.toString('base64').match(/.{1,64}/g)?.join('\n')}\n-----END ${type}-----\n`;

/**
 * A new RSA key (PKCS#1 PEM, as the chart's `genCA` writes it) and a self-signed v3 CA
 * certificate for it (PEM).
 * @param {{ commonName: string; days: number; modulusLength?: number; now?: Date }} o
 * @returns {{ privateKey: string; certificate: string }}
 */
export function selfSignedKeyPair(o) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: o.modulusLength ?? 4096,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const now = o.now ?? new Date();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f | 0x01;
  const name = distinguishedName(o.commonName);
  const extensions = der(0xa3, sequence(
    sequence(oid('2.5.29.19'), TRUE, octetString(sequence(TRUE))),
    // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, two unused bits.
    sequence(oid('2.5.29.15'), TRUE, octetString(bitString(Buffer.from([0x84]), 2))),
  ));
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    name,
    sequence(time(now), time(new Date(now.getTime() + o.days * 86_400_000))),
    name,
    publicKey,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  return { privateKey, certificate: pem('CERTIFICATE', sequence(tbs, SHA256_WITH_RSA, bitString(signature))) };
}

/**
 * Whether a secret string already holds a key pair under the two fields: both PEM, and the
 * certificate's public key is the private key's.
 * @param {string | undefined} secretString @param {{ privateKey: string; certificate: string }} fields
 */
export function holdsKeyPair(secretString, fields) {
  try {
    const value = JSON.parse(secretString ?? '');
    return new X509Certificate(value[fields.certificate]).checkPrivateKey(createPrivateKey(value[fields.privateKey]));
  } catch {
    return false;
  }
}

/**
 * @typedef {{ get(secretId: string): Promise<string | undefined>; put(secretId: string, value: string): Promise<void> }} SecretStore
 * @typedef {{ SecretId: string; PrivateKeyField: string; CertificateField: string; CommonName: string; ValidityDays: string }} Properties
 */

/**
 * Puts a new key pair into the secret unless it holds one. Other JSON keys of the secret are kept.
 * @param {SecretStore} store @param {Properties} p
 * @returns {Promise<'kept' | 'created'>}
 */
export async function fillOnce(store, p) {
  const fields = { privateKey: p.PrivateKeyField, certificate: p.CertificateField };
  const current = await store.get(p.SecretId);
  if (holdsKeyPair(current, fields)) return 'kept';
  const pair = selfSignedKeyPair({ commonName: p.CommonName, days: Number(p.ValidityDays) });
  await store.put(p.SecretId, JSON.stringify({ [fields.privateKey]: pair.privateKey, [fields.certificate]: pair.certificate }));
  return 'created';
}

/** Secrets Manager through the runtime's AWS SDK (loaded only in Lambda). @returns {Promise<SecretStore>} */
async function secretsManager() {
  // @ts-ignore: provided by the Lambda Node.js runtime, not a dependency of this package.
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const client = new sdk.SecretsManagerClient({});
  return {
    async get(secretId) {
      const r = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
      return r.SecretString;
    },
    async put(secretId, value) {
      await client.send(new sdk.PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
    },
  };
}

/**
 * The custom resource's work: fills the secret on Create and Update, does nothing on Delete
 * (the secret is retained), and answers CloudFormation on the pre-signed URL. Nothing secret
 * is logged or returned.
 * @param {any} event @param {{ store?: SecretStore; respond?: (url: string, body: string) => Promise<void> }} [deps]
 */
export async function handle(event, deps = {}) {
  /** @type {Properties} */
  const p = event.ResourceProperties;
  const response = { Status: 'SUCCESS', Reason: '', PhysicalResourceId: p.SecretId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  try {
    if (event.RequestType !== 'Delete') {
      const outcome = await fillOnce(deps.store ?? (await secretsManager()), p);
      console.log(`token signing key ${outcome} in ${p.SecretId}`);
    }
  } catch (e) {
    response.Status = 'FAILED';
    response.Reason = `filling ${p.SecretId}: ${e instanceof Error ? e.message : String(e)}`;
    console.log(response.Reason);
  }
  const respond = deps.respond ?? (async (url, body) => {
    const r = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
    if (!r.ok) throw new Error(`CloudFormation response: HTTP ${r.status}`);
  });
  await respond(event.ResponseURL, JSON.stringify(response));
  return response;
}

/** The Lambda entry point (Lambda passes a context as second argument: not the dependencies above). @param {any} event */
export const handler = (event) => handle(event);
