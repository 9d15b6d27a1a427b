import { SECRET_JSON_KEYS } from './helm-values/names.js';
import { planImages } from './images.js';
import type { EnvironmentConfig } from './schema/environment.js';

/**
 * A Secrets Manager secret the config names that no stack of this repository creates: the
 * directory's owners keep it, and it must exist in the environment's account and region
 * before the first deploy (External Secrets reads it; the stack only grants access to it).
 * Every other secret the config names is created and filled by the platform stack.
 */
export interface PreexistingSecret {
  /** Its key in {@link SECRET_JSON_KEYS}, or the ECR pull-through cache's Docker Hub credential. */
  readonly role: 'ldapBind' | 'ldapCaBundle' | 'dockerHubCache';
  /** Who reads it: External Secrets (the platform stack grants it access) or ECR's pull-through cache rule. */
  readonly readBy: 'externalSecrets' | 'ecrPullThroughCache';
  /** The config field that names it, such as `ldap.bindPasswordSecret`, or the plan field of a derived name. */
  readonly field: string;
  /** The secret's name in Secrets Manager. */
  readonly secretName: string;
  /** What its SecretString holds. */
  readonly holds: string;
  /** The JSON keys of its SecretString; empty when the whole string is the value (not JSON). */
  readonly jsonKeys: readonly string[];
}

/** The secrets `config` names that must exist before the first deploy, in the order of the config. */
export function preexistingSecrets(config: EnvironmentConfig): PreexistingSecret[] {
  const secrets: PreexistingSecret[] = [];
  if (config.ldap.bindPasswordSecret) {
    secrets.push({
      role: 'ldapBind',
      field: 'ldap.bindPasswordSecret',
      secretName: config.ldap.bindPasswordSecret,
      readBy: 'externalSecrets',
      holds: `the password of the LDAP search account${config.ldap.searchDn ? ` ${config.ldap.searchDn}` : ''}`,
      jsonKeys: Object.values(SECRET_JSON_KEYS.ldapBind),
    });
  }
  if (config.ldap.caBundleSecret) {
    secrets.push({
      role: 'ldapCaBundle',
      field: 'ldap.caBundleSecret',
      secretName: config.ldap.caBundleSecret,
      readBy: 'externalSecrets',
      holds: "the PEM bundle of the CA that issued the directory's certificate",
      jsonKeys: Object.values(SECRET_JSON_KEYS.ldapCaBundle),
    });
  }
  // ECR takes a Docker Hub pull-through rule only with credentials, and a Docker Hub access token is made by a person.
  secrets.push({
    role: 'dockerHubCache',
    readBy: 'ecrPullThroughCache',
    field: 'plan.images.caches.dockerHub.credentialSecret',
    secretName: planImages(config).caches.dockerHub.credentialSecret,
    holds: 'a Docker Hub user and access token (read-only public repositories) for the pull-through cache of the goharbor and velero images',
    jsonKeys: ['username', 'accessToken'],
  });
  return secrets;
}

/** A Secrets Manager secret the platform stack creates and fills, by the config field that names it. */
export interface StackSecret {
  /** Such as `harbor.adminPasswordSecret`. */
  readonly field: string;
  readonly secretName: string;
}

/**
 * The secrets the platform stack creates (generated values; the token signing key filled by
 * the stack). They are retained when the stack is deleted, so a name left by an earlier,
 * deleted deploy makes the next first deploy fail: `preflight` looks for such leftovers.
 */
export function stackSecrets(config: EnvironmentConfig): StackSecret[] {
  const { harbor, minio } = config;
  return [
    { field: 'harbor.adminPasswordSecret', secretName: harbor.adminPasswordSecret },
    { field: 'harbor.internalSecretsSecret', secretName: harbor.internalSecretsSecret },
    { field: 'harbor.tokenSigningSecret', secretName: harbor.tokenSigningSecret },
    { field: 'minio.rootCredentialsSecret', secretName: minio.rootCredentialsSecret },
    { field: 'minio.harborCredentialsSecret', secretName: minio.harborCredentialsSecret },
    ...(harbor.database.type === 'external' ? [{ field: 'harbor.database.credentialsSecret', secretName: harbor.database.credentialsSecret }] : []),
    ...(harbor.redis.type === 'external' ? [{ field: 'harbor.redis.authTokenSecret', secretName: harbor.redis.authTokenSecret }] : []),
  ];
}
