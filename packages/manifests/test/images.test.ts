import { imageReference, planImageRefs } from '@harbor-platform/config';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, ofKind } from './util.js';
import { addPlatformCharts, chartsInOrder } from '../src/index.js';

/** The container images of every pod template in the charts, by the object's kind and name. */
function podImages(objects: any[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const o of objects) {
    const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
    if (spec) out[`${o.kind}/${o.metadata.name}`] = spec.containers.map((c: any) => c.image);
  }
  return out;
}

describe('the MinIO and ops images in the charts', () => {
  it('are the references the caller passes: every MinIO StatefulSet, the backup and the settings reload', () => {
    const { config: c, plan } = environment('prod');
    const images = { minio: 'registry.example/minio@DIGEST-OF-BUILD', ops: 'registry.example/ops@DIGEST-OF-BUILD' };
    const charts = addPlatformCharts(new App(), c, plan, images);
    const objects = chartsInOrder(charts).flatMap((chart) => chart.toJson());
    const sets = ofKind(objects, 'StatefulSet');
    expect(sets).toHaveLength(plan.minio.statefulSets.length);
    for (const s of sets) expect(s.spec.template.spec.containers[0].image).toBe(images.minio);
    const byObject = podImages(objects);
    expect(byObject['CronJob/registry-backup']).toEqual([images.ops]);
    expect(byObject['CronJob/harbor-settings-reload']).toEqual([images.ops]);
  });

  it('default to the plan: the built image\'s repository with its digest parameter standing in, or the external image', () => {
    const built = environment('dev').plan;
    expect(planImageRefs(built)).toEqual({
      minio: '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-dev/minio@<deploy-time: SSM /harbor-platform/dev/images/minio/digest>',
      ops: '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-dev/ops@<deploy-time: SSM /harbor-platform/dev/images/ops/digest>',
    });
    const mc = 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727';
    const external = environment('dev', (raw) => (raw.registryBackup.image = mc)).plan;
    expect(planImageRefs(external).ops).toBe(mc);
    expect(planImageRefs(external).minio).toBe(imageReference(external.images.minio));
  });
});
