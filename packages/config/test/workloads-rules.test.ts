import { describe, expect, it } from 'vitest';
import { problemsWith } from './util.js';

describe('rules for the manifests settings', () => {
  it('refuses job images that are not pinned by digest, naming the field', () => {
    expect(problemsWith((raw) => (raw.minio.clientImage = 'quay.io/minio/mc:latest'))).toEqual([
      expect.stringMatching(/^minio\.clientImage: .*not pinned by digest.*pin it as/),
    ]);
    expect(problemsWith((raw) => (raw.registryBackup.image = 'harbor-platform-ops:1.0'))).toEqual([expect.stringMatching(/^registryBackup\.image: .*not pinned by digest/)]);
  });

  it('refuses a default StorageClass the platform does not create', () => {
    expect(problemsWith((raw) => (raw.cluster.defaultStorageClass = 'standard'))).toEqual([
      expect.stringMatching(/^cluster\.defaultStorageClass: "standard" is not one of the StorageClasses .*"gp3", "gp3-retain", "gp3-zonal"/),
    ]);
  });

  it('refuses two roles sharing one StorageClass name (their reclaim policies differ)', () => {
    expect(problemsWith((raw) => (raw.harbor.storage.databaseStorageClass = 'gp3'))).toEqual([expect.stringMatching(/^harbor\.storage\.databaseStorageClass: .*distinct names/)]);
  });

  it('accepts both environments as committed', () => {
    expect(problemsWith(() => {}, 'dev')).toEqual([]);
    expect(problemsWith(() => {}, 'prod')).toEqual([]);
  });
});
