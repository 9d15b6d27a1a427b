import { MINIO_HARBOR_USER, preexistingSecrets, SECRET_JSON_KEYS as KEYS, type EnvironmentConfig } from '@harbor-platform/config';
import { DEFAULTS } from '../defaults.js';
import type { GeneratedSecretSpec } from '../secrets/platform-secrets.js';

/**
 * The secrets an environment's config names, each in the JSON layout the
 * ExternalSecrets of packages/manifests read (`SECRET_JSON_KEYS`).
 */
export function generatedSecrets(config: EnvironmentConfig): Record<string, GeneratedSecretSpec> {
  return {
    harborAdmin: { secretName: config.harbor.adminPasswordSecret, description: 'Harbor admin password', generatedKey: KEYS.harborAdmin.password },
    harborInternalSeed: {
      secretName: config.harbor.internalSecretsSecret,
      description: "Seed of Harbor's internal secrets",
      generatedKey: KEYS.harborInternalSeed.seed,
      length: DEFAULTS.secrets.seedLength,
    },
    minioRoot: {
      secretName: config.minio.rootCredentialsSecret,
      description: 'MinIO root user',
      fixed: { [KEYS.minioRoot.username]: DEFAULTS.secrets.minioRootUser },
      generatedKey: KEYS.minioRoot.password,
    },
    minioHarbor: {
      secretName: config.minio.harborCredentialsSecret,
      description: "MinIO user of Harbor's registry",
      fixed: { [KEYS.minioHarbor.username]: MINIO_HARBOR_USER },
      generatedKey: KEYS.minioHarbor.password,
    },
  };
}

/** Secrets the config names but this stack does not own (the LDAP bind password and CA bundle are the directory owners'; `preflight` checks that they exist). */
export function referencedSecrets(config: EnvironmentConfig): Record<string, string> {
  return Object.fromEntries(preexistingSecrets(config).filter((s) => s.readBy === 'externalSecrets').map((s) => [s.role, s.secretName]));
}
