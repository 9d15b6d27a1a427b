/**
 * Names of in-cluster objects that more than one package refers to: the Helm values
 * (here), the cdk8s charts that create the objects (packages/manifests) and the
 * CDK app that binds IAM to service accounts (packages/infra). They are fixed names,
 * not per-environment choices, so they live in code, once.
 */

/** The ClusterSecretStore (External Secrets Operator) backed by AWS Secrets Manager. */
export const CLUSTER_SECRET_STORE = 'aws-secrets-manager';

/** Kubernetes Secrets in the Harbor namespace, each synced by an ExternalSecret. */
export const HARBOR_SECRETS = {
  /** Key `HARBOR_ADMIN_PASSWORD`, from `harbor.adminPasswordSecret`. */
  adminPassword: 'harbor-admin-password',
  /**
   * Harbor's internal secrets, derived from `harbor.internalSecretsSecret`; keys named
   * as the chart reads them: `secretKey`, `secret` (core), `JOBSERVICE_SECRET`,
   * `REGISTRY_HTTP_SECRET`, `CSRF_KEY`, `REGISTRY_PASSWD`, `REGISTRY_HTPASSWD`,
   * `password` and `POSTGRES_PASSWORD` (database).
   */
  internal: 'harbor-internal',
  /** Keys `REGISTRY_STORAGE_S3_ACCESSKEY` / `REGISTRY_STORAGE_S3_SECRETKEY`: MinIO's Harbor user. */
  registryS3: 'harbor-registry-s3',
  /** Key `CONFIG_OVERWRITE_JSON`: Harbor's user settings (LDAP) with the bind password. */
  userSettings: 'harbor-user-settings',
  /** Key `REDIS_PASSWORD`: the ElastiCache auth token (external Redis only). */
  redis: 'harbor-redis',
  /**
   * Key `ca.crt` (the name the chart mounts): the PEM bundle of `ldap.caBundleSecret`, set as the
   * chart's `caBundleSecretName` (only when the config names a bundle).
   */
  ldapCaBundle: 'harbor-ldap-ca',
  /**
   * Type kubernetes.io/tls, keys `tls.key` and `tls.crt`: the key Harbor's core signs registry
   * tokens with, from `harbor.tokenSigningSecret`; the chart's `core.secretName`.
   */
  tokenSigning: 'harbor-token-signing',
} as const;

/** Keys of the Secrets above, as the Harbor chart expects them. */
export const HARBOR_SECRET_KEYS = {
  adminPassword: 'HARBOR_ADMIN_PASSWORD',
  secretKey: 'secretKey',
  coreSecret: 'secret',
  jobserviceSecret: 'JOBSERVICE_SECRET',
  registryHttpSecret: 'REGISTRY_HTTP_SECRET',
  csrfKey: 'CSRF_KEY',
  registryPassword: 'REGISTRY_PASSWD',
  registryHtpasswd: 'REGISTRY_HTPASSWD',
  databasePassword: 'password',
  postgresPassword: 'POSTGRES_PASSWORD',
  s3AccessKey: 'REGISTRY_STORAGE_S3_ACCESSKEY',
  s3SecretKey: 'REGISTRY_STORAGE_S3_SECRETKEY',
  userSettings: 'CONFIG_OVERWRITE_JSON',
  redisPassword: 'REDIS_PASSWORD',
  /** Harbor's chart mounts this key of `caBundleSecretName` as /harbor_cust_cert/custom-ca.crt. */
  caBundle: 'ca.crt',
  tlsKey: 'tls.key',
  tlsCertificate: 'tls.crt',
} as const;

/** The user Harbor's core and jobservice present to its registry (the chart's default name, not a secret). */
export const HARBOR_REGISTRY_USER = 'harbor_registry_user';

/** The PostgreSQL user of an external (RDS) database; the CDK app creates its credentials with this name. */
export const HARBOR_DATABASE_USER = 'harbor';

/** Helm release names: the chart derives object names (`<release>-core`, `<release>-registry`) from them. */
export const HARBOR_RELEASE = 'harbor';
export const VELERO_RELEASE = 'velero';

/**
 * The ExternalDNS release: its own namespace (Helm creates it) and the service account its
 * chart creates, which the CDK app binds to a Pod Identity role that may change records of
 * `dns.hostedZoneId` only. It reads Ingresses in `harbor.namespace` alone.
 */
export const EXTERNAL_DNS = {
  release: 'external-dns',
  namespace: 'external-dns',
  serviceAccount: 'external-dns',
} as const;

/**
 * Service accounts bound to IAM roles through EKS Pod Identity. The CDK app creates
 * them (with the association); the charts only refer to them.
 */
export const SERVICE_ACCOUNTS = {
  /** Velero server, in `velero.namespace`: S3 on the backup bucket, EC2 snapshots. */
  velero: 'velero-server',
  /** Registry-data backup CronJob, in `harbor.namespace`: writes `registryBackup.prefix` of `registryBackup.bucket`. */
  registryBackup: 'registry-backup',
  /**
   * Restore drill's reader, in the drill's MinIO namespace (`plan.drill.namespaces[1]`):
   * reads `registryBackup.prefix` of `registryBackup.bucket`, nothing else.
   */
  registryRestore: 'registry-restore',
  /**
   * The harbor-settings-reload CronJob, in `harbor.namespace`: get on the settings Secret,
   * get and patch on core's Deployment (a Role the CDK app binds), nothing in AWS.
   */
  settingsReload: 'harbor-settings-reload',
} as const;

/** Labels the Harbor chart puts on a component's pods (`harbor.matchLabels` plus `component`). */
export function harborPodLabels(component: 'core' | 'registry' | 'jobservice' | 'database' | 'redis' | 'trivy' | 'portal' | 'exporter') {
  return { app: 'harbor', release: HARBOR_RELEASE, component } as const;
}

/**
 * The JSON layout of each Secrets Manager secret the cluster reads (External Secrets
 * `remoteRef.property`). The CDK app generates the secrets with these keys; a
 * user name is a fixed, non-secret field beside the generated password.
 */
export const SECRET_JSON_KEYS = {
  /** `harbor.adminPasswordSecret`. */
  harborAdmin: { password: 'password' },
  /** `harbor.internalSecretsSecret`: a random seed of at least 32 characters. */
  harborInternalSeed: { seed: 'seed' },
  /** `minio.rootCredentialsSecret`. */
  minioRoot: { username: 'username', password: 'password' },
  /** `minio.harborCredentialsSecret`: the access key is the user name, the secret key its password. */
  minioHarbor: { username: 'username', password: 'password' },
  /** `harbor.database.credentialsSecret` (the RDS layout). */
  database: { username: 'username', password: 'password' },
  /** `harbor.redis.authTokenSecret`. */
  redis: { authToken: 'authToken' },
  /** `ldap.bindPasswordSecret` is kept by the directory's owners: the whole secret string is the password. */
  ldapBind: {},
  /** `ldap.caBundleSecret` is the directory owners' too: the whole secret string is the PEM bundle. */
  ldapCaBundle: {},
  /** `harbor.tokenSigningSecret`: PEM, filled once by the CDK app (no dots: External Secrets reads `a.b` as a path). */
  tokenSigning: { privateKey: 'privateKey', certificate: 'certificate' },
} as const;

/** The MinIO user the registry uses (its access key); its secret key is generated. */
export const MINIO_HARBOR_USER = 'harbor-registry';
