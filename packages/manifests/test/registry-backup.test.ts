import { imageReference } from '@harbor-platform/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, named } from './util.js';
import { RegistryBackupChart } from '../src/index.js';

describe('RegistryBackupChart', () => {
  it('runs the registry-data backup on the configured schedule with its own service account', () => {
    const { config: c, plan } = environment('prod');
    const ops = imageReference(plan.images.ops);
    const chart = new RegistryBackupChart(Testing.app(), 'registry-backup', {
      plan: { aws: plan.aws, names: plan.names, minio: plan.minio, backups: plan.backups },
      images: { ops },
      maxDurationMinutes: 90,
    });
    const cron = named(chart.toJson(), 'CronJob', 'registry-backup');
    expect(cron.metadata.namespace).toBe('harbor');
    expect(cron.spec).toMatchObject({ schedule: c.registryBackup.cron, timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('registry-backup');
    expect(pod.containers[0].image).toBe(ops);
    expect(pod.containers[0].args).toEqual([
      'registry-backup',
      '--registry', 'http://harbor-registry.harbor.svc.cluster.local:5000',
      '--source', 's3://harbor-registry',
      '--target', `s3://${c.registryBackup.bucket}/registry-data`,
      '--prune', '--keep', String(c.registryBackup.retention),
    ]);
    expect(c.registryBackup.retention).toBe(30);
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(90 * 60);
  });
});
