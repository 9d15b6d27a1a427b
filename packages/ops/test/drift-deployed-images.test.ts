import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageReference, planImages } from '@harbor-platform/config';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { loadConfig } from './support/fakes.js';
import { withDeployedImages } from '../src/drift/deployed-images.js';

const MINIO_DIGEST = `sha256:${'a1'.repeat(32)}`;
const OPS_DIGEST = `sha256:${'b2'.repeat(32)}`;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A manifests folder as synth writes it: the images as the offline plan names them, YAML-serialized. */
function manifests(images: ReturnType<typeof planImages>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drift-images-test-'));
  dirs.push(dir);
  const pod = (name: string, image: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name }, spec: { template: { spec: { containers: [{ name, image }] } } } });
  writeFileSync(join(dir, '0003-minio.yaml'), [pod('minio-p0-z0', imageReference(images.minio)), pod('minio-p0-z1', imageReference(images.minio))].map((d) => stringify(d)).join('---\n'));
  mkdirSync(join(dir, 'backup'));
  writeFileSync(join(dir, 'backup', 'cronjob.yaml'), stringify(pod('registry-backup', imageReference(images.ops))));
  return dir;
}

const imagesIn = (file: string) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS().spec.template.spec.containers[0].image);

describe('drift compares the images the last deploy ran, not the offline placeholders', () => {
  it('puts each built image\'s digest from its SSM parameter into a copy, and removes the copy afterwards', async () => {
    const images = planImages(loadConfig('dev'));
    expect(images.minio.built && images.ops.built).toBe(true);
    const dir = manifests(images);
    const asked: string[] = [];
    const digests: Record<string, string> = { '/harbor-platform/dev/images/minio/digest': MINIO_DIGEST, '/harbor-platform/dev/images/ops/digest': `${OPS_DIGEST}\n` };
    const result = await withDeployedImages(dir, images, async (name) => (asked.push(name), digests[name]!));
    expect(asked).toEqual(['/harbor-platform/dev/images/minio/digest', '/harbor-platform/dev/images/ops/digest']);
    expect(result.path).not.toBe(dir);
    const registry = '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com';
    expect(imagesIn(join(result.path, '0003-minio.yaml'))).toEqual([`${registry}/harbor-platform-dev/minio@${MINIO_DIGEST}`, `${registry}/harbor-platform-dev/minio@${MINIO_DIGEST}`]);
    expect(imagesIn(join(result.path, 'backup', 'cronjob.yaml'))).toEqual([`${registry}/harbor-platform-dev/ops@${OPS_DIGEST}`]);
    // The synthesized folder is left as synth wrote it.
    expect(readFileSync(join(dir, '0003-minio.yaml'), 'utf8')).toContain('<deploy-time: SSM /harbor-platform/dev/images/minio/digest>');
    result.cleanup();
    expect(existsSync(result.path)).toBe(false);
  });

  it('refuses a parameter that holds no image digest, naming it, and leaves nothing behind', async () => {
    const images = planImages(loadConfig('dev'));
    const dir = manifests(images);
    await expect(withDeployedImages(dir, images, async () => 'latest')).rejects.toThrow(
      'SSM parameter /harbor-platform/dev/images/minio/digest holds "latest", not an image digest (sha256:<64 hex>): deploy once so its build step writes it',
    );
  });

  it('diffs the synthesized folder itself when every image is external (pinned by digest in the config)', async () => {
    const config = loadConfig('dev');
    const external = `quay.io/minio/minio:RELEASE.2025-10-15T17-29-55Z@sha256:${'c3'.repeat(32)}`;
    const images = planImages({ ...config, minio: { ...config.minio, image: external }, registryBackup: { ...config.registryBackup, image: `registry.example.com/ops@${OPS_DIGEST}` } });
    const dir = manifests(images);
    const result = await withDeployedImages(dir, images, async () => {
      throw new Error('no parameter is read for an external image');
    });
    expect(result.path).toBe(dir);
    expect(imagesIn(join(dir, '0003-minio.yaml'))).toEqual([external, external]);
  });
});
