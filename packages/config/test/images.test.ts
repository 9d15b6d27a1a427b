import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith } from './util.js';
import {
  imageDigestParameterName,
  imageReference,
  imageRepositoryName,
  planEnvironment,
  planImages,
  planMarkdown,
  SECURITY_FIX_RELEASE,
  type EnvironmentConfig,
} from '../src/index.js';
import { chartCases, chartReleases, renderChartAsync, upstreamChart } from '../src/testing/index.js';

function config(mutate: (raw: any) => void = () => {}, name: 'dev' | 'prod' = 'dev'): EnvironmentConfig {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}

/** quay.io's real digest of mc RELEASE.2025-08-13T08-35-41Z (the committed minio.clientImage), as an external image. */
const REAL_PINNED = 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727';

describe('planImages', () => {
  it('builds both images when the config names none: the environment\'s ECR repositories and digest parameters', () => {
    const images = planImages(config(() => {}, 'prod'));
    expect(images.minio).toEqual({
      name: 'minio',
      built: true,
      repositoryName: 'harbor-platform-prod/minio',
      repositoryUri: '222222222222.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-prod/minio',
      digestParameter: '/harbor-platform/prod/images/minio/digest',
      builtFrom: expect.stringContaining(SECURITY_FIX_RELEASE),
    });
    expect(images.ops).toMatchObject({ built: true, repositoryName: imageRepositoryName('prod', 'ops'), digestParameter: imageDigestParameterName('prod', 'ops') });
  });

  it('keeps an external image, pinned by digest, as the config names it', () => {
    const c = config((raw) => (raw.registryBackup.image = REAL_PINNED));
    expect(planImages(c).ops).toEqual({ name: 'ops', built: false, image: REAL_PINNED });
    expect(imageReference(planImages(c).ops, 'sha256:ignored')).toBe(REAL_PINNED);
  });

  it('refuses an external image without a digest, in one line naming the field and the fix', () => {
    expect(problemsWith((raw) => (raw.minio.image = 'quay.io/minio/minio:RELEASE.2025-10-15T17-29-55Z'))).toEqual([
      'minio.image: "quay.io/minio/minio:RELEASE.2025-10-15T17-29-55Z" is not pinned by digest (upstream stopped publishing images and removed minio/minio from Docker Hub, so a tag can vanish or change): pin it as registry/repository:RELEASE.<date>@sha256:<64 hex> (a quay.io snapshot or a maintained fork), or leave minio.image out and the platform builds it',
    ]);
  });

  it('references a built image by repository and digest; offline, the digest parameter stands in', () => {
    const { minio } = planImages(config());
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    expect(imageReference(minio, digest)).toBe(`111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-dev/minio@${digest}`);
    expect(imageReference(minio)).toBe('111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-dev/minio@<deploy-time: SSM /harbor-platform/dev/images/minio/digest>');
  });

  it('names a Docker Hub pull-through cache per environment, with its ecr-pullthroughcache/ credential secret', () => {
    expect(planImages(config()).caches.dockerHub).toEqual({
      upstreamRegistry: 'docker-hub',
      upstreamRegistryUrl: 'registry-1.docker.io',
      prefix: 'dev/docker-hub',
      repositoryBase: '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/dev/docker-hub',
      credentialSecret: 'ecr-pullthroughcache/harbor-platform/dev/docker-hub',
    });
  });
});

describe('the plan says which images are built and where', () => {
  it('plan.images and the MinIO release: the fixed release when built, the tag of an external image', () => {
    const p = planEnvironment(config());
    expect(p.images.minio.built).toBe(true);
    expect(p.minio.release).toBe(SECURITY_FIX_RELEASE);
    const external = planEnvironment(config((raw) => (raw.minio.image = `registry.example.com/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:${'b'.repeat(64)}`)));
    expect(external.images.minio).toMatchObject({ built: false });
    expect(external.minio.release).toBe('RELEASE.2025-09-07T16-13-09Z');
  });

  it('plan.md has an Images section naming the repository and the digest parameter', () => {
    const md = planMarkdown(planEnvironment(config()));
    expect(md).toContain('## Images');
    expect(md).toContain('- MinIO server: built: MinIO server built from the final community source, RELEASE.2025-10-15T17-29-55Z or later (scripts/images/build minio), pushed to `111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-dev/minio`, run by the digest in SSM `/harbor-platform/dev/images/minio/digest`');
    const external = planMarkdown(planEnvironment(config((raw) => (raw.registryBackup.image = REAL_PINNED))));
    expect(external).toContain(`- ops CLI (registry-data backup, settings reload): external: \`${REAL_PINNED}\``);
  });
});

/** Every container image of the rendered objects (pods, controllers' templates, jobs, cron jobs). */
function imagesOf(objects: Record<string, any>[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(x)) for (const c of x) out.push(c.image);
      else visit(x);
    }
  };
  objects.forEach(visit);
  return out;
}

describe('the real Harbor and Velero charts pull every image through the Docker Hub cache', () => {
  const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;
  for (const { name, config: c } of chartCases()) {
    for (const release of chartReleases(c)) {
      it(`${name}: ${release.name}`, async () => {
        const chart = upstreamChart(release.ref);
        if (!chart) return;
        const images = imagesOf(await renderChartAsync({ ...release, chart, values: release.values }));
        expect(images.length).toBeGreaterThan(0);
        const base = `${planImages(c).caches.dockerHub.repositoryBase}/`;
        // Through the cache, or pinned by a digest (none of the charts' images is, today).
        expect(images.filter((i) => !i.startsWith(base) && !DIGEST_PINNED.test(i))).toEqual([]);
      }, 240_000);
    }
  }
});
