import type { Problem, Warning } from './problems.js';

/**
 * S3 endpoint rules. The registry reaches its store by `minio.endpoint` (the platform's
 * own MinIO) or `minio.externalEndpoint` (a store outside it). Each rule stands for a
 * failure seen with the real parts:
 * - no scheme: the registry speaks HTTPS to MinIO's plain-HTTP port and fails with
 *   "server gave HTTP response to HTTPS client"; so does https:// to the platform's MinIO,
 *   which serves plain HTTP (packages/manifests: no TLS on the server);
 * - no port or another port: requests reach the console (9001) or nothing at all, "S3 API
 *   Requests must be made to API port"; the platform's MinIO Service exposes the API on
 *   `MINIO_API_PORT` only;
 * - a host outside the cluster: traffic leaves through a load balancer and comes back in,
 *   an extra hop that timed out.
 */

export const MINIO_API_PORT = 9000;
export const MINIO_CONSOLE_PORT = 9001;

/** The in-cluster S3 API URL of a MinIO Service. */
export function inClusterEndpoint(serviceName: string, namespace: string): string {
  return `http://${serviceName}.${namespace}.svc.cluster.local:${MINIO_API_PORT}`;
}

/** Where the platform's MinIO Service lives, and whose pods resolve the endpoint. */
export interface PlatformMinio {
  readonly serviceName: string;
  readonly namespace: string;
  /** Namespace of the registry (Harbor): a bare service name resolves there. */
  readonly clientNamespace: string;
}

/** A host under the cluster's service domain: `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local`. */
const SERVICE_HOST = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/;

/** The Service and namespace a host names, as Kubernetes DNS resolves it from `clientNamespace`. */
function serviceOf(host: string, clientNamespace: string): { service: string; namespace: string } | undefined {
  const m = SERVICE_HOST.exec(host);
  if (!m || (!m[2] && host.includes('.'))) return undefined;
  return { service: m[1]!, namespace: m[2] ?? clientNamespace };
}

/** True when `host` names the platform's MinIO Service in any form Kubernetes DNS resolves. */
export function isPlatformMinioHost(host: string, minio: PlatformMinio): boolean {
  const s = serviceOf(host, minio.clientNamespace);
  return s !== undefined && s.service === minio.serviceName && s.namespace === minio.namespace;
}

interface ParsedEndpoint {
  readonly url: URL;
  readonly port?: number;
}

/** Scheme, URL syntax, explicit port, no path, no credentials: what every S3 endpoint needs. */
function parseEndpoint(path: string, value: string, example: string, problems: Problem[]): ParsedEndpoint | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    problems.push({
      path,
      message: `"${value}" has no scheme, so the registry speaks HTTPS to MinIO's plain-HTTP port and fails with "server gave HTTP response to HTTPS client"`,
      fix: `write the scheme and port, such as "${example}"`,
    });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ path, message: `"${value}" is not a valid URL`, fix: `write an absolute URL such as "${example}"` });
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push({ path, message: `scheme "${url.protocol.slice(0, -1)}" is not an S3 scheme`, fix: `use http:// or https://, such as "${example}"` });
  }
  if (url.username || url.password) {
    problems.push({ path, message: 'carries credentials in the URL', fix: 'remove them: the registry reads its keys from a Secret synced from Secrets Manager' });
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    problems.push({ path, message: `has a path or query "${url.pathname}${url.search}${url.hash}"; the S3 API is served at the root`, fix: `remove it, such as "${example}"` });
  }
  // URL drops a port equal to the scheme's default, so read it from the text.
  const explicitPort = /^[a-z]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^/:]*):(\d+)(\/|$)/i.exec(value)?.[1];
  if (!explicitPort) {
    problems.push({
      path,
      message: `"${value}" has no port, so requests reach the console or the load balancer instead of the S3 API ("S3 API Requests must be made to API port")`,
      fix: `add the S3 API port, such as "${example}"`,
    });
  }
  return { url, port: explicitPort === undefined ? undefined : Number(explicitPort) };
}

/**
 * Problems with `minio.endpoint`: it must be the platform's MinIO as the manifests deploy
 * it: http://, the Service `minio.serviceName` in `minio.namespace` (any form Kubernetes DNS
 * resolves from the registry's namespace), port `MINIO_API_PORT`.
 */
export function checkPlatformEndpoint(path: string, value: string, minio: PlatformMinio): Problem[] {
  const expected = inClusterEndpoint(minio.serviceName, minio.namespace);
  const problems: Problem[] = [];
  const parsed = parseEndpoint(path, value, expected, problems);
  if (!parsed) return problems;
  const { url, port } = parsed;
  const host = url.hostname;
  const service = serviceOf(host, minio.clientNamespace);
  if (!service) {
    problems.push({
      path,
      message: `"${host}" is not the platform's MinIO Service, so registry traffic leaves the cluster through a load balancer and comes back in (an extra hop that timed out)`,
      fix: `use the in-cluster service name "${expected}", or, for a store outside the platform, set minio.externalEndpoint instead`,
    });
  } else if (service.service !== minio.serviceName || service.namespace !== minio.namespace) {
    const where = host.includes('.') ? '' : ` (a bare name resolves in the registry's namespace "${minio.clientNamespace}")`;
    problems.push({
      path,
      message: `"${host}" names the Service "${service.service}" in namespace "${service.namespace}"${where}, but the platform's MinIO is "${minio.serviceName}" in "${minio.namespace}"`,
      fix: `use "${expected}", or, for another store, set minio.externalEndpoint instead`,
    });
  }
  if (url.protocol === 'https:') {
    problems.push({
      path,
      message: 'the platform\'s MinIO serves plain HTTP, so https:// fails with "server gave HTTP response to HTTPS client"',
      fix: `use http://, such as "${expected}"`,
    });
  }
  if (port !== undefined && port !== MINIO_API_PORT) {
    problems.push({
      path,
      message:
        port === MINIO_CONSOLE_PORT
          ? `port ${MINIO_CONSOLE_PORT} is MinIO's console, not its S3 API ("S3 API Requests must be made to API port")`
          : `port ${port} is not served: the platform's MinIO Service exposes its S3 API on ${MINIO_API_PORT} only`,
      fix: `use the API port ${MINIO_API_PORT}, such as "${expected}"`,
    });
  }
  return problems;
}

/**
 * Problems with `minio.externalEndpoint`, a store outside the platform: http:// or https://
 * with an explicit port; not the platform's own MinIO (that is `minio.endpoint`). Plain
 * HTTP is allowed (a store in the same network) but warned about in prod.
 */
export function checkExternalEndpoint(path: string, value: string, minio: PlatformMinio, stage: 'dev' | 'prod'): { problems: Problem[]; warnings: Warning[] } {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const parsed = parseEndpoint(path, value, 'https://s3.example.com:443', problems);
  if (!parsed) return { problems, warnings };
  if (isPlatformMinioHost(parsed.url.hostname, minio)) {
    problems.push({
      path,
      message: `"${parsed.url.hostname}" is the platform's own MinIO, not an external store`,
      fix: `remove minio.externalEndpoint (the default is "${inClusterEndpoint(minio.serviceName, minio.namespace)}"), or set minio.endpoint`,
    });
  } else if (parsed.url.protocol === 'http:' && stage === 'prod') {
    warnings.push({ path, message: 'prod reaches its external store over plain HTTP: registry blobs and S3 signatures cross the network unencrypted' });
  }
  return { problems, warnings };
}
