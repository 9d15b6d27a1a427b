import { HARBOR_RELEASE, HARBOR_SECRETS } from '@harbor-platform/config';
import { chartReleases, renderChartAsync, upstreamChart, type ChartRelease } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { environment, named, synth } from './util.js';

/**
 * The Harbor chart generates a token signing key and certificate (`genCA`) at every render
 * unless `core.secretName` names a kubernetes.io/tls Secret; each `helm upgrade` would then
 * swap the key under running cores and invalidate the tokens clients hold. With our values
 * the key comes from Secrets Manager (External Secrets), so renders are identical.
 */

const SLOW = 120_000;

function harborRelease(env: 'dev' | 'prod'): ChartRelease {
  return chartReleases(environment(env).config).find((r) => r.name === 'harbor')!;
}

async function renderTwice(release: ChartRelease, values = release.values) {
  const chart = upstreamChart(release.ref);
  if (!chart) return undefined;
  return Promise.all([renderChartAsync({ ...release, chart, values }), renderChartAsync({ ...release, chart, values })]);
}

const coreSecret = (objects: any[]) => named(objects, 'Secret', `${HARBOR_RELEASE}-core`);

describe('the token signing key is the same at every render', () => {
  for (const env of ['dev', 'prod'] as const) {
    it(`${env}: two renders are identical, and the chart's core Secret carries no generated key`, async () => {
      const renders = await renderTwice(harborRelease(env));
      if (!renders) return;
      const [a, b] = renders;
      expect(coreSecret(a).data).toEqual(coreSecret(b).data);
      expect(Object.keys(coreSecret(a).data ?? {})).not.toContain('tls.key');
      expect(Object.keys(coreSecret(a).data ?? {})).not.toContain('tls.crt');
      expect(b).toEqual(a);
    }, SLOW);

    it(`${env}: core mounts its signing key from the Secret External Secrets syncs, of type kubernetes.io/tls`, async () => {
      const renders = await renderTwice(harborRelease(env));
      if (!renders) return;
      const core = named(renders[0], 'Deployment', `${HARBOR_RELEASE}-core`);
      const volume = core.spec.template.spec.volumes.find((v: any) => v.name === 'token-service-private-key');
      expect(volume.secret.secretName).toBe(HARBOR_SECRETS.tokenSigning);
      const mount = core.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.name === 'token-service-private-key');
      expect(mount.subPath).toBe('tls.key');
      const synced = named(synth(environment(env)).objects, 'ExternalSecret', HARBOR_SECRETS.tokenSigning);
      expect(synced.spec.target).toMatchObject({ name: volume.secret.secretName, template: { type: 'kubernetes.io/tls' } });
      expect(Object.keys(synced.spec.target.template.data)).toContain(mount.subPath);
    }, SLOW);
  }

  it('would differ without core.secretName: the comparison sees the regenerated key', async () => {
    const release = harborRelease('dev');
    const { secretName: _, ...core } = release.values.core as Record<string, unknown>;
    const renders = await renderTwice(release, { ...release.values, core });
    if (!renders) return;
    const [a, b] = renders;
    expect(coreSecret(a).data['tls.key']).toBeTruthy();
    expect(coreSecret(a).data['tls.key']).not.toBe(coreSecret(b).data['tls.key']);
  }, SLOW);
});
