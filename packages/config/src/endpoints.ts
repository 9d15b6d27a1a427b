import type { Problem } from './problems.js';

/**
 * S3 endpoint rules, from the three failures the original setup hit:
 * no scheme, no API port, and a detour through the public load balancer.
 */

export const MINIO_API_PORT = 9000;
export const MINIO_CONSOLE_PORT = 9001;

/** The in-cluster S3 API URL of a MinIO Service. */
export function inClusterEndpoint(serviceName: string, namespace: string): string {
  return `http://${serviceName}.${namespace}.svc.cluster.local:${MINIO_API_PORT}`;
}

const IN_CLUSTER_HOST = /^[a-z0-9-]+\.[a-z0-9-]+\.svc(\.cluster\.local)?$/;

/** Problems with an S3 endpoint; `expected` is the in-cluster URL to suggest. */
export function checkS3Endpoint(path: string, value: string, expected: string): Problem[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return [
      {
        path,
        message: `"${value}" has no scheme, so the registry speaks HTTPS to MinIO's plain-HTTP port and fails with "server gave HTTP response to HTTPS client"`,
        fix: `write the scheme and port, such as "${expected}"`,
      },
    ];
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: `"${value}" is not a valid URL`, fix: `write an absolute URL such as "${expected}"` }];
  }
  const problems: Problem[] = [];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push({ path, message: `scheme "${url.protocol.slice(0, -1)}" is not an S3 scheme`, fix: `use http:// (MinIO in the cluster) or https://, such as "${expected}"` });
  }
  const explicitPort = /^[a-z]+:\/\/[^/]*:(\d+)(\/|$)/i.exec(value)?.[1];
  if (!explicitPort) {
    problems.push({
      path,
      message: `"${value}" has no port, so requests reach the console or the load balancer instead of the S3 API ("S3 API Requests must be made to API port")`,
      fix: `add MinIO's API port, such as "${expected}"`,
    });
  } else if (Number(explicitPort) === MINIO_CONSOLE_PORT) {
    problems.push({
      path,
      message: `port ${MINIO_CONSOLE_PORT} is MinIO's console, not its S3 API ("S3 API Requests must be made to API port")`,
      fix: `use the API port ${MINIO_API_PORT}, such as "${expected}"`,
    });
  }
  if (!IN_CLUSTER_HOST.test(url.hostname)) {
    problems.push({
      path,
      message: `"${url.hostname}" is not a cluster service, so registry traffic leaves the cluster through a load balancer and comes back in (an extra hop that timed out)`,
      fix: `use the in-cluster service name "${expected}"`,
    });
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    problems.push({ path, message: `has a path "${url.pathname}"; the S3 API is served at the root`, fix: `remove the path, such as "${expected}"` });
  }
  return problems;
}
