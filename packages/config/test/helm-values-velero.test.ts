import { describe, expect, it } from 'vitest';
import { loadWith } from './util.js';
import { SERVICE_ACCOUNTS, veleroChart, veleroValues, VELERO_CHART, VELERO_USER, type EnvironmentConfig } from '../src/index.js';

function config(mutate: (raw: any) => void = () => {}, name: 'dev' | 'prod' = 'dev'): EnvironmentConfig {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}

describe('veleroValues', () => {
  it('runs the configured Velero version with the AWS plugin as an init container', () => {
    const v = veleroValues(config()) as any;
    // Through the environment's Docker Hub pull-through cache (dev: account 111111111111, ap-northeast-2).
    const cache = '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/dev/docker-hub';
    expect(v.image).toEqual({ repository: `${cache}/velero/velero`, tag: 'v1.18.2' });
    expect(v.initContainers).toHaveLength(1);
    expect(v.initContainers[0]).toMatchObject({ image: `${cache}/velero/velero-plugin-for-aws:v1.14.2`, volumeMounts: [{ mountPath: '/target', name: 'plugins' }] });
  });

  it('runs the pods as the image\'s user by number (cnb is uid 1002, group 1000), which runAsNonRoot needs', () => {
    const v = veleroValues(config()) as any;
    expect(v.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 1002, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(VELERO_USER).toEqual({ uid: 1002, gid: 1000 });
    // chart 12 runs the CRD upgrade with the Velero image itself: no kubectl image to set.
    expect(v).not.toHaveProperty('kubectl');
  });

  it('uses the Pod Identity service account and no credentials Secret', () => {
    const v = veleroValues(config()) as any;
    expect(v.serviceAccount.server).toEqual({ create: false, name: SERVICE_ACCOUNTS.velero });
    expect(v.credentials).toEqual({ useSecret: false });
  });

  it('deploys the node agent only when file-system backup is chosen', () => {
    expect((veleroValues(config()) as any).deployNodeAgent).toBe(false);
    expect((veleroValues(config()) as any).configuration).not.toHaveProperty('uploaderType');
    const fsb = veleroValues(config((raw) => (raw.velero.fileSystemBackup = true))) as any;
    expect(fsb.deployNodeAgent).toBe(true);
    expect(fsb.configuration.uploaderType).toBe('kopia');
  });

  it('leaves locations and schedules to the typed manifests', () => {
    const v = veleroValues(config()) as any;
    expect(v.backupsEnabled).toBe(false);
    expect(v.snapshotsEnabled).toBe(false);
    expect(v.schedules).toEqual({});
  });

  it('pins the chart at the configured, tested version and refuses others', () => {
    expect(veleroChart(config())).toEqual({ repository: VELERO_CHART.repository, chart: 'velero', version: '12.0.3' });
    expect(() => veleroValues(config((raw) => (raw.velero.chartVersion = '9.0.0')))).toThrow(/^velero\.chartVersion: "9\.0\.0" is not a version of the Velero Helm chart this platform is tested with/);
  });
});
