import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HARBOR_SECRETS } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { writeManifests } from '../src/outputs/manifests.js';

const dirs: string[] = [];
function outdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'manifests-'));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('writeManifests', () => {
  it('writes one YAML file per chart, in apply order, and the Harbor, Velero and ExternalDNS values', () => {
    const dist = outdir();
    const dev = plannedEnvironment('dev');
    const files = writeManifests(dist, dev);
    // Under the plan's output folders: dist/dev/manifests and dist/dev/values.
    const out = join(dist, 'dev');
    const charts = files.map((f) => f.replace(/^\d{4}-|\.yaml$/g, ''));
    expect([...charts].sort()).toEqual(
      ['harbor-secrets', 'harbor-settings-reload', 'minio', 'minio-provisioning', 'namespaces', 'network-policies', 'registry-backup', 'secret-store', 'storage', 'velero'],
    );
    // Numbered in an order that applies: what a chart needs comes first.
    const before = (a: string, b: string) => expect(charts.indexOf(a), `${a} before ${b}`).toBeLessThan(charts.indexOf(b));
    before('namespaces', 'minio');
    before('storage', 'minio');
    before('secret-store', 'harbor-secrets');
    before('minio', 'minio-provisioning');
    before('harbor-secrets', 'registry-backup');
    before('harbor-secrets', 'harbor-settings-reload');
    const file = (chart: string) => files[charts.indexOf(chart)]!;
    const minio = parseAllDocuments(readFileSync(join(out, 'manifests', file('minio')), 'utf8')).map((d) => d.toJS());
    expect(minio.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name)).toEqual(['minio-p0-z0', 'minio-p0-z1', 'minio-p0-z2']);
    const harbor = parse(readFileSync(join(out, 'values', 'harbor.yaml'), 'utf8'));
    expect(harbor.persistence.imageChartStorage.s3.regionendpoint).toBe('http://minio.minio.svc.cluster.local:9000');
    expect(harbor.existingSecretAdminPassword).toBe(HARBOR_SECRETS.adminPassword);
    expect(parse(readFileSync(join(out, 'values', 'velero.yaml'), 'utf8')).image.tag).toBe('v1.18.2');
    const dns = parse(readFileSync(join(out, 'values', 'external-dns.yaml'), 'utf8'));
    expect(dns).toMatchObject({ txtOwnerId: 'harbor-platform-dev', domainFilters: ['dev.example.com'], policy: 'upsert-only', extraArgs: { 'zone-id-filter': [dev.config.dns.hostedZoneId] } });
    expect(dns.txtOwnerId).toBe(dev.plan.names.cluster);
  });

  it('marks deploy-time addresses in prod values instead of failing', () => {
    const dist = outdir();
    writeManifests(dist, plannedEnvironment('prod'));
    const harbor = parse(readFileSync(join(dist, 'prod', 'values', 'harbor.yaml'), 'utf8'));
    expect(harbor.database.external.host).toMatch(/^<deploy-time: /);
    expect(harbor.redis.external.addr).toMatch(/^<deploy-time: /);
  });

  it('leaves no stale manifest behind', () => {
    const dist = outdir();
    mkdirSync(join(dist, 'dev', 'manifests'), { recursive: true });
    writeFileSync(join(dist, 'dev', 'manifests', '0099-removed-chart.yaml'), 'kind: Stale\n');
    writeManifests(dist, plannedEnvironment('dev'));
    expect(readdirSync(join(dist, 'dev', 'manifests'))).not.toContain('0099-removed-chart.yaml');
  });
});
