#!/usr/bin/env node
// The registry's config.yml as the real Harbor chart renders it: `helm template` of the chart in
// ../shared/upstream with the Harbor values @harbor-platform/config builds for the laid-out
// environment, its registry ConfigMap's config.yml, changed only where loopback must differ:
//   http.addr        the instance's 127.0.0.1 port (the pod listens on :5000 behind a Service)
//   http.debug       dropped (the pod's fixed localhost:5001 would clash between instances)
//   auth.htpasswd    the stack's htpasswd file (the chart's is Harbor core's, mounted from a Secret)
//   cache + redis    in memory (no Redis here; the chart points the layer cache at Harbor's Redis)
// The S3 keys and the HTTP secret are not in the file: the registry reads them from the
// environment (REGISTRY_STORAGE_S3_ACCESSKEY/SECRETKEY, REGISTRY_HTTP_SECRET), as the chart's
// Secrets give them to the pod. The in-cluster host names resolve through the stack's hosts file.
// For an extra instance on another store, --bucket, --endpoint and --region replace those three.
//
// usage: registry-config.mjs --layout <environment or YAML> --out <file>
//          --addr <host:port> --htpasswd <file> [--bucket b --endpoint url --region r]
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { environmentFile, loadEnvironmentFile } from '@harbor-platform/config';
import { chartReleases, harborRegistryConfig, upstreamChart } from '@harbor-platform/config/testing';
import { parse, stringify } from 'yaml';

const { values: o } = parseArgs({
  options: Object.fromEntries(['layout', 'out', 'addr', 'htpasswd', 'bucket', 'endpoint', 'region'].map((k) => [k, { type: 'string' }])),
  strict: true,
});
for (const name of ['layout', 'out', 'addr', 'htpasswd']) {
  if (!o[name]) {
    console.error(`registry-config: option --${name} is required`);
    process.exit(2);
  }
}

const file = /\.ya?ml$/.test(o.layout) ? resolve(o.layout) : environmentFile(o.layout);
const loaded = file ? loadEnvironmentFile(file) : { ok: false, problems: [{ path: o.layout, message: 'no such environment', fix: 'give a name from environments/' }] };
if (!loaded.ok) {
  for (const p of loaded.problems) console.error(`${p.path}: ${p.message}: ${p.fix}`);
  process.exit(1);
}
const config = loaded.config;
const chart = upstreamChart({ chart: 'harbor', version: config.harbor.chartVersion });

/**
 * The chart's registry ConfigMap rendered with our values: the release the CDK app installs
 * (`chartReleases`) through `harborRegistryConfig`, the renderer the chart tests use. The
 * deploy-time addresses (RDS, ElastiCache) are examples there: the parts of the registry's
 * config kept here do not use them (Redis is replaced below).
 */
function renderRegistryConfig() {
  try {
    const release = chartReleases(config).find((r) => r.name === 'harbor');
    return parse(harborRegistryConfig(release));
  } catch (err) {
    console.error(`registry-config: ${String(err.message).split('\n')[0]}`);
    process.exit(1);
  }
}

const cfg = renderRegistryConfig();
cfg.http.addr = o.addr;
delete cfg.http.debug;
cfg.auth = { htpasswd: { ...cfg.auth.htpasswd, path: o.htpasswd } };
cfg.storage.cache = { blobdescriptor: 'inmemory' };
delete cfg.redis;
const s3 = cfg.storage.s3;
if (o.bucket) s3.bucket = o.bucket;
if (o.endpoint) s3.regionendpoint = o.endpoint;
if (o.region) s3.region = o.region;

const tmp = `${o.out}.tmp`;
writeFileSync(tmp, `# Rendered from ${chart} (registry ConfigMap) by scripts/local-stack/registry-config.mjs\n${stringify(cfg)}`, { mode: 0o600 });
renameSync(tmp, o.out);
