import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/** registry[:port]/repository[:tag]@sha256:<64 hex>, the same form minio.image must take. */
const DIGEST_PINNED = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[\w.-]+)?@sha256:[0-9a-f]{64}$/;

/** Rules for the settings the Kubernetes manifests add: pinned job images and the default StorageClass. */
export function checkWorkloads(c: EnvironmentConfig, problems: Problem[], _warnings: Warning[]): void {
  const images: [string, string][] = [
    ['minio.clientImage', c.minio.clientImage],
    ['registryBackup.image', c.registryBackup.image],
  ];
  for (const [path, image] of images) {
    if (!DIGEST_PINNED.test(image)) {
      problems.push({
        path,
        message: `"${image}" is not pinned by digest, so what runs can change under the same name`,
        fix: 'pin it as registry/repository[:tag]@sha256:<64 hex>',
      });
    }
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
