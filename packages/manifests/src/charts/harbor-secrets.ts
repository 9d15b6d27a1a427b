import {
  CLUSTER_SECRET_STORE,
  HARBOR_REGISTRY_USER,
  HARBOR_SECRET_KEYS as KEYS,
  HARBOR_SECRETS,
  harborUserSettingsTemplate,
  LDAP_BIND_PASSWORD_VARIABLE,
  SECRET_JSON_KEYS as JSON_KEYS,
  type EnvironmentConfig,
  type EnvironmentPlan,
} from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { syncSecret, type RemoteValue } from '../private/external-secrets.js';

export interface HarborSecretsChartProps {
  /** Harbor's namespace (`names.namespaces.harbor`). */
  readonly plan: Pick<EnvironmentPlan, 'names'>;
  /** The Secrets Manager secrets the config names (Harbor's, MinIO's Harbor user, LDAP's) and the LDAP settings. */
  readonly config: Pick<EnvironmentConfig, 'harbor' | 'minio' | 'ldap'>;
}

const SEED = 'seed';

/**
 * One of Harbor's internal secrets, derived from the seed: SHA-256 of
 * "<seed>:<purpose>", cut to the length Harbor expects. One generated value in
 * Secrets Manager yields them all; each is independent of the others (a hash of a
 * high-entropy seed with a distinct label), and all are stable across re-syncs,
 * restores and new clusters, which random values generated in the cluster are not
 * (a restored database would no longer match its password or its encryption key).
 */
export function derived(purpose: string, length?: number): string {
  return length ? `{{ ${derivedExpression(purpose)} | trunc ${length} }}` : `{{ ${derivedExpression(purpose)} }}`;
}

/** The template expression (without braces) of a derived value, to pass to another function. */
function derivedExpression(purpose: string): string {
  return `(printf "%s:${purpose}" .${SEED} | sha256sum)`;
}

/**
 * The Secrets the Harbor chart's values name (see HARBOR_SECRETS), each an
 * ExternalSecret. Needs the ClusterSecretStore and the Harbor namespace.
 */
export class HarborSecretsChart extends Chart {
  constructor(scope: Construct, id: string, props: HarborSecretsChartProps) {
    super(scope, id);
    const c = props.config;
    const namespace = props.plan.names.namespaces.harbor;
    const sync = (name: string, data: Record<string, RemoteValue>, template?: Record<string, string>, onChange = false, type?: string) =>
      syncSecret(this, name, { name, namespace, store: CLUSTER_SECRET_STORE, data, template, refreshPolicy: onChange ? 'OnChange' : 'Periodic', type });

    sync(HARBOR_SECRETS.adminPassword, { [KEYS.adminPassword]: { secret: c.harbor.adminPasswordSecret, property: JSON_KEYS.harborAdmin.password } });

    sync(HARBOR_SECRETS.registryS3, {
      [KEYS.s3AccessKey]: { secret: c.minio.harborCredentialsSecret, property: JSON_KEYS.minioHarbor.username },
      [KEYS.s3SecretKey]: { secret: c.minio.harborCredentialsSecret, property: JSON_KEYS.minioHarbor.password },
    });

    const db = c.harbor.database;
    const dbPassword: RemoteValue | undefined =
      db.type === 'external' ? { secret: db.credentialsSecret, property: JSON_KEYS.database.password } : undefined;
    sync(
      HARBOR_SECRETS.internal,
      {
        [SEED]: { secret: c.harbor.internalSecretsSecret, property: JSON_KEYS.harborInternalSeed.seed },
        ...(dbPassword ? { databasePassword: dbPassword } : {}),
      },
      {
        // Harbor requires a 16-character secret key (it encrypts stored credentials with it).
        [KEYS.secretKey]: derived('secret-key', 16),
        [KEYS.coreSecret]: derived('core', 32),
        [KEYS.jobserviceSecret]: derived('jobservice', 32),
        [KEYS.registryHttpSecret]: derived('registry-http', 32),
        // Harbor requires a 32-character CSRF key.
        [KEYS.csrfKey]: derived('csrf', 32),
        [KEYS.registryPassword]: derived('registry-credentials'),
        // bcrypt with a random salt: re-rendered only when this object changes (OnChange), not every hour.
        [KEYS.registryHtpasswd]: `{{ htpasswd "${HARBOR_REGISTRY_USER}" ${derivedExpression('registry-credentials')} }}`,
        [KEYS.databasePassword]: dbPassword ? '{{ .databasePassword }}' : derived('database', 32),
        [KEYS.postgresPassword]: dbPassword ? '{{ .databasePassword }}' : derived('database', 32),
      },
      true,
    );

    // The token signing key, the same for every render of the chart (its `core.secretName`).
    const token = JSON_KEYS.tokenSigning;
    sync(
      HARBOR_SECRETS.tokenSigning,
      {
        [token.privateKey]: { secret: c.harbor.tokenSigningSecret, property: token.privateKey },
        [token.certificate]: { secret: c.harbor.tokenSigningSecret, property: token.certificate },
      },
      { [KEYS.tlsKey]: `{{ .${token.privateKey} }}`, [KEYS.tlsCertificate]: `{{ .${token.certificate} }}` },
      false,
      'kubernetes.io/tls',
    );

    if (c.ldap.bindPasswordSecret && !c.ldap.anonymousSearch) {
      sync(
        HARBOR_SECRETS.userSettings,
        { [LDAP_BIND_PASSWORD_VARIABLE]: { secret: c.ldap.bindPasswordSecret } },
        { [KEYS.userSettings]: harborUserSettingsTemplate(c) },
      );
    } else {
      // Anonymous search: no secret in the settings, but the Secret still carries them (the values read it).
      sync(HARBOR_SECRETS.userSettings, { [SEED]: { secret: c.harbor.internalSecretsSecret, property: JSON_KEYS.harborInternalSeed.seed } }, {
        [KEYS.userSettings]: harborUserSettingsTemplate(c),
      });
    }

    // The directory's private CA: the whole secret string is the PEM bundle, under the key the chart mounts.
    if (c.ldap.caBundleSecret) sync(HARBOR_SECRETS.ldapCaBundle, { [KEYS.caBundle]: { secret: c.ldap.caBundleSecret } });

    const redis = c.harbor.redis;
    if (redis.type === 'external') {
      sync(HARBOR_SECRETS.redis, { [KEYS.redisPassword]: { secret: redis.authTokenSecret, property: JSON_KEYS.redis.authToken } });
    }
  }
}
