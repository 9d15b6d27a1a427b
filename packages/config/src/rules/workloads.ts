import { planImages, PULL_THROUGH_PREFIX_MAX } from '../images.js';
import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';
import { DIGEST_PINNED_IMAGE } from '../validators.js';

/** Rules for the settings the Kubernetes manifests add: pinned job images and the default StorageClass. */
export function checkWorkloads(c: EnvironmentConfig, problems: Problem[], _warnings: Warning[]): void {
  // registryBackup.image absent: the platform builds the ops image (images.ts) and runs it by digest.
  const images: [string, string | undefined, string][] = [
    ['minio.clientImage', c.minio.clientImage, ''],
    ['registryBackup.image', c.registryBackup.image, ', or leave it out and the platform builds it'],
  ];
  for (const [path, image, orBuilt] of images) {
    if (image !== undefined && !DIGEST_PINNED_IMAGE.test(image)) {
      problems.push({
        path,
        message: `"${image}" is not pinned by digest, so what runs can change under the same name`,
        fix: `pin it as registry/repository[:tag]@sha256:<64 hex>${orBuilt}`,
      });
    }
  }
  const longest = Math.max(...Object.values(planImages(c).caches).map((cache) => cache.prefix.length));
  if (longest > PULL_THROUGH_PREFIX_MAX) {
    problems.push({
      path: 'name',
      message: `"${c.name}" makes an ECR pull-through cache prefix of ${longest} characters (ECR allows ${PULL_THROUGH_PREFIX_MAX}: <name>/docker-hub)`,
      fix: `use a name of at most ${PULL_THROUGH_PREFIX_MAX - longest + c.name.length} characters`,
    });
  }
  const classes = storageClassNames(c);
  if (!classes.includes(c.cluster.defaultStorageClass)) {
    problems.push({
      path: 'cluster.defaultStorageClass',
      message: `"${c.cluster.defaultStorageClass}" is not one of the StorageClasses the platform creates`,
      fix: `use one of ${classes.map((n) => `"${n}"`).join(', ')}`,
    });
  }
  if (new Set(classes).size !== classes.length) {
    problems.push({
      path: 'harbor.storage.databaseStorageClass',
      message: 'the general, database and MinIO StorageClasses must have three different names (their reclaim policies differ)',
      fix: 'give harbor.storage.storageClass, harbor.storage.databaseStorageClass and minio.storageClass distinct names',
    });
  }
}

/** The StorageClasses the manifests create, in a fixed order: general, database, MinIO. */
export function storageClassNames(c: EnvironmentConfig): string[] {
  return [c.harbor.storage.storageClass, c.harbor.storage.databaseStorageClass, c.minio.storageClass];
}
