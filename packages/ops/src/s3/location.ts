import { S3Error } from '../errors.js';

/** Where objects live: a bucket and a key prefix on one S3 endpoint. */
export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing "/"; empty for the bucket root. */
  readonly prefix: string;
  readonly endpoint: S3EndpointConfig;
}

/** How to reach an S3 API; unset fields fall back to the AWS SDK's own chain (AWS_* variables, profiles, Pod Identity). */
export interface S3EndpointConfig {
  /** Absolute URL with scheme and port for MinIO / Ceph RGW; path-style addressing is used with it. @default - AWS S3 */
  readonly endpoint?: string;
  /** @default AWS_REGION, or us-east-1 with a custom endpoint */
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

/** Which side of a copy a location is on: each side can have its own endpoint and keys. */
export type S3Role = 'source' | 'target';

/** The environment variables read for one role, most specific first (documented in --help). */
export function s3EnvNames(role: S3Role) {
  const specific = `HARBOR_PLATFORM_${role.toUpperCase()}_S3_`;
  const shared = 'HARBOR_PLATFORM_S3_';
  const names = (suffix: string) => [specific + suffix, shared + suffix];
  return { endpoint: names('ENDPOINT'), region: names('REGION'), accessKeyId: names('ACCESS_KEY_ID'), secretAccessKey: names('SECRET_ACCESS_KEY') };
}

/** Reads one role's endpoint settings from the environment; both keys or neither. */
export function endpointFromEnv(role: S3Role, env: NodeJS.ProcessEnv = process.env): S3EndpointConfig {
  const names = s3EnvNames(role);
  const pick = (list: string[]) => {
    for (const name of list) if (env[name]) return { name, value: env[name] };
    return undefined;
  };
  const endpoint = pick(names.endpoint);
  const accessKeyId = pick(names.accessKeyId);
  const secretAccessKey = pick(names.secretAccessKey);
  if (!!accessKeyId !== !!secretAccessKey) {
    const missing = accessKeyId ? names.secretAccessKey : names.accessKeyId;
    throw new S3Error(`${missing[0]} (or ${missing[1]}) is not set: give both the access key id and the secret access key, or neither to use the AWS SDK's credential chain`);
  }
  if (endpoint) checkEndpoint(endpoint.value!, endpoint.name);
  return {
    endpoint: endpoint?.value,
    region: pick(names.region)?.value,
    accessKeyId: accessKeyId?.value,
    secretAccessKey: secretAccessKey?.value,
  };
}

/** The same rules the config applies to MinIO endpoints: scheme and port, or the client talks to the wrong thing. */
function checkEndpoint(value: string, name: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new S3Error(`${name}="${value}" is not a URL: give scheme, host and port, e.g. http://127.0.0.1:7480`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new S3Error(`${name}="${value}" must start with http:// or https://`);
}

/** Parses `s3://bucket/prefix` (prefix optional). */
export function parseS3Url(value: string, endpoint: S3EndpointConfig, option = 'location'): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  if (!m) throw new S3Error(`${option} "${value}" is not an S3 URL: write s3://<bucket>[/<prefix>]`);
  const bucket = m[1]!;
  // S3_BUCKET_NAME of @harbor-platform/config's validators: not imported, because its index would load zod and yaml into the verify chunk.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new S3Error(`${option} "${value}": "${bucket}" is not a valid bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
  }
  const prefix = m[2]!.replace(/^\/+|\/+$/g, '');
  return { bucket, prefix, endpoint };
}

/** The display form of a location, `s3://bucket/prefix`. */
export function formatLocation(location: S3Location): string {
  return `s3://${location.bucket}${location.prefix ? '/' + location.prefix : ''}`;
}
