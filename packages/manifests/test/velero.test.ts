import { HARBOR_SECRETS, harborValues, VELERO_BACKUP_PREFIX } from '@harbor-platform/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, ofKind, synth } from './util.js';
import { VeleroChart } from '../src/index.js';

/** VeleroChart's objects on the plan's region, names and backups alone. */
function velero(name: 'dev' | 'prod' = 'dev', mutate?: (raw: any) => void): { objects: any[]; config: ReturnType<typeof environment>['config'] } {
  const { config, plan } = environment(name, mutate);
  const chart = new VeleroChart(Testing.app(), 'velero', { plan: { aws: plan.aws, names: plan.names, backups: plan.backups } });
  return { objects: chart.toJson(), config };
}

describe('VeleroChart', () => {
  it('stores backups in the configured bucket under its own prefix, in the region', () => {
    const { objects, config: c } = velero('prod');
    const [bsl] = ofKind(objects, 'BackupStorageLocation');
    expect(bsl.metadata).toMatchObject({ name: 'default', namespace: 'velero' });
    expect(bsl.spec).toMatchObject({ provider: 'aws', default: true, objectStorage: { bucket: c.velero.backupBucket, prefix: VELERO_BACKUP_PREFIX }, config: { region: 'ap-northeast-2' } });
    // The registry-data copy uses its own prefix in the same bucket.
    expect(c.registryBackup.prefix.startsWith(`${VELERO_BACKUP_PREFIX}/`)).toBe(false);
  });

  it('snapshots EBS volumes through the AWS plugin', () => {
    const [vsl] = ofKind(velero().objects, 'VolumeSnapshotLocation');
    expect(vsl.spec).toEqual({ provider: 'aws', config: { region: 'ap-northeast-2' } });
  });

  it('has one Schedule per configured schedule, with its cron, TTL, namespaces and snapshot choice', () => {
    const { objects, config: c } = velero('prod');
    const schedules = ofKind(objects, 'Schedule');
    expect(schedules.map((s) => s.metadata.name)).toEqual(c.velero.schedules.map((s) => s.name));
    for (const s of c.velero.schedules) {
      const o = schedules.find((x) => x.metadata.name === s.name);
      expect(o.spec.schedule).toBe(s.cron);
      expect(o.spec.template).toMatchObject({ ttl: s.ttl, includedNamespaces: s.includedNamespaces, snapshotVolumes: s.snapshotVolumes, storageLocation: 'default', volumeSnapshotLocations: ['aws-ebs'] });
    }
  });

  it('follows a schedule added to the config', () => {
    // 168h: dev keeps seven daily registry-data copies, which a longer TTL would outlive (validate refuses that).
    const { objects } = velero('dev', (raw) => raw.velero.schedules.push({ name: 'minio-weekly', cron: '0 4 * * 0', ttl: '168h', includedNamespaces: ['minio'], snapshotVolumes: false }));
    expect(ofKind(objects, 'Schedule').map((s) => [s.metadata.name, s.spec.template.snapshotVolumes])).toEqual([
      ['harbor-daily', true],
      ['minio-weekly', false],
    ]);
  });

  it('excludes every MinIO drive claim from backups, and no Harbor volume', () => {
    const { objects } = synth(environment('prod'));
    const claims = ofKind(objects, 'StatefulSet').flatMap((s) => s.spec.volumeClaimTemplates);
    expect(claims.length).toBe(12 / 2);
    for (const t of claims) expect(t.metadata.labels['velero.io/exclude-from-backup']).toBe('true');
    // Harbor's volumes come from its chart; the values set no exclusion on them.
    const dev = environment();
    expect(JSON.stringify(harborValues(dev.config, dev.plan))).not.toContain('exclude-from-backup');
  });

  it('checkpoints the internal database before its snapshot (hook on the database pod)', () => {
    const dev = environment();
    const db = harborValues(dev.config, dev.plan).database as any;
    expect(db.podAnnotations['pre.hook.backup.velero.io/container']).toBe('database');
    expect(JSON.parse(db.podAnnotations['pre.hook.backup.velero.io/command']).join(' ')).toContain('CHECKPOINT');
    expect(HARBOR_SECRETS.internal).toBe('harbor-internal');
  });
});
