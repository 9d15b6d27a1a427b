import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

export function checkHarbor(c: EnvironmentConfig, problems: Problem[], _warnings: Warning[]): void {
  const h = c.harbor;
  const expected = `https://${c.dns.harborHostname}`;
  let url: URL | undefined;
  try {
    url = new URL(h.externalUrl);
  } catch {
    problems.push({ path: 'harbor.externalUrl', message: `"${h.externalUrl}" is not an absolute URL`, fix: `set it to ${expected}` });
  }
  if (url) {
    if (url.protocol !== 'https:') {
      problems.push({ path: 'harbor.externalUrl', message: `uses ${url.protocol.slice(0, -1)}; docker clients and the ALB listener expect HTTPS`, fix: `set it to ${expected}` });
    }
    if (url.hostname !== c.dns.harborHostname) {
      problems.push({ path: 'harbor.externalUrl', message: `host "${url.hostname}" differs from dns.harborHostname "${c.dns.harborHostname}"`, fix: `set it to ${expected}` });
    }
    if (url.pathname !== '/' || url.search || url.port) {
      problems.push({ path: 'harbor.externalUrl', message: 'carries a port, path or query; Harbor is served at the root on 443', fix: `set it to ${expected}` });
    }
  }
  // A database or Redis in one AZ: rules/state-tiers.ts.
  // The external store's secret name is required by the schema (REQUIRED_FIELDS says why).
  const ns = new Set([h.namespace, c.minio.namespace, c.velero.namespace]);
  if (ns.size !== 3) {
    problems.push({ path: 'harbor.namespace', message: 'Harbor, MinIO and Velero share a namespace', fix: 'give each its own namespace so network policies and restores can treat them apart' });
  }
}
