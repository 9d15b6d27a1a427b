import { describe, expect, it } from 'vitest';
import { problemsWith } from './util.js';

describe('rules for the manifests settings', () => {
  it('refuses job images that are not pinned by digest, naming the field', () => {
    expect(problemsWith((raw) => (raw.minio.clientImage = 'quay.io/minio/mc:latest'))).toEqual([
      expect.stringMatching(/^minio\.clientImage: .*not pinned by digest.*pin it as/),
    ]);
    expect(problemsWith((raw) => (raw.registryBackup.image = 'harbor-platform-ops:1.0'))).toEqual([
      'registryBackup.image: "harbor-platform-ops:1.0" is not pinned by digest, so what runs can change under the same name: pin it as registry/repository[:tag]@sha256:<64 hex>, or leave it out and the platform builds it',
    ]);
  });

  it('refuses an environment name too long for the ECR pull-through cache prefix (<name>/docker-hub, 30 characters)', () => {
    // 19 characters fit (19 + "/docker-hub" = 30); the name must also match the file name, so only the prefix rule is read here.
    const lines = (name: string) => problemsWith((raw) => (raw.name = name)).filter((l) => l.includes('pull-through'));
    expect(lines('a'.repeat(19))).toEqual([]);
    expect(lines('a'.repeat(20))).toEqual([
      `name: "${'a'.repeat(20)}" makes an ECR pull-through cache prefix of 31 characters (ECR allows 30: <name>/docker-hub): use a name of at most 19 characters`,
    ]);
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
