import { ConfigError } from '../errors.js';
import type { EnvironmentPlan } from '../plan.js';
import { harborChart } from './charts.js';
import { databaseBackupHookAnnotations } from './database-hook.js';
import { HARBOR_UPDATE_STRATEGY, JOB_LOGGERS, tierAvailability } from './harbor-availability.js';
import { HARBOR_SETTINGS_CHECKSUM_ANNOTATION, harborUserSettingsChecksum } from './harbor-user-settings.js';
import { harborImageValues, mergeValues } from './image-caches.js';
import { HARBOR_DATABASE_USER, HARBOR_REGISTRY_USER, HARBOR_SECRET_KEYS as KEYS, HARBOR_SECRETS } from './names.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * Values of the upstream Harbor chart (goharbor/harbor-helm 1.19.1, Harbor 2.15.1)
 * derived from one environment. Every key exists in that chart's values.yaml (the
 * conformance test walks them). No secret value appears: each of the chart's
 * default secrets is replaced by a reference to a Secret that External Secrets
 * syncs from AWS Secrets Manager, and its literal default is blanked so that
 * dropping a reference fails closed instead of falling back to a known password.
 */

/** Addresses only known at deploy time (CDK tokens are fine). */
export interface HarborEndpoints {
  /** Host name of the external PostgreSQL (RDS). Required when `harbor.database.type` is `external`. */
  readonly databaseHost?: string;
  /** Port of the external PostgreSQL. @default 5432 */
  readonly databasePort?: number | string;
  /** `host:port` of the external Redis (ElastiCache). Required when `harbor.redis.type` is `external`. */
  readonly redisAddress?: string;
  /**
   * The load balancer's security group, made by the CDK app (HTTPS from anywhere, nothing else).
   * @default - the controller makes one from `listen-ports`
   */
  readonly loadBalancerSecurityGroupId?: string;
}

/** Values as a plain object; `HarborValues` documents only the top level. */
export interface HarborValues {
  readonly externalURL: string;
  readonly expose: Record<string, unknown>;
  readonly persistence: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/**
 * The ALB in front of Harbor: HTTPS only (no port 80 listener to redirect from, so
 * no plain-HTTP exposure), ACM certificate, pod IPs as targets, and an idle timeout
 * long enough for large layer uploads.
 */
function albAnnotations(config: EnvironmentConfig, endpoints: HarborEndpoints): Record<string, string | null> {
  // A given group replaces the one the controller would create; the controller still opens the targets to it.
  const securityGroup: Record<string, string> = endpoints.loadBalancerSecurityGroupId
    ? {
      'alb.ingress.kubernetes.io/security-groups': endpoints.loadBalancerSecurityGroupId,
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
    }
    : {};
  return {
    // The chart's nginx annotations mean nothing to the ALB controller; null removes them.
    'ingress.kubernetes.io/ssl-redirect': null,
    'ingress.kubernetes.io/proxy-body-size': null,
    'nginx.ingress.kubernetes.io/ssl-redirect': null,
    'nginx.ingress.kubernetes.io/proxy-body-size': null,
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/certificate-arn': config.dns.certificateArn,
    'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    'alb.ingress.kubernetes.io/healthcheck-path': '/api/v2.0/ping',
    'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=900,routing.http.drop_invalid_header_fields.enabled=true',
    ...securityGroup,
  };
}

function secretRef(name: string, key: string) {
  return { valueFrom: { secretKeyRef: { name, key } } };
}

function database(config: EnvironmentConfig, endpoints: HarborEndpoints) {
  const db = config.harbor.database;
  // The chart reads the core's (and exporter's) database password from
  // `database.external.existingSecret` whatever the type, key `password`.
  const external = { existingSecret: HARBOR_SECRETS.internal, password: '' };
  if (db.type === 'internal') {
    return {
      type: 'internal',
      internal: {
        // The chart renders this into its own database Secret; blank it and set the
        // variable from our Secret instead (an explicit env entry wins over envFrom).
        password: '',
        extraEnvVars: [{ name: KEYS.postgresPassword, ...secretRef(HARBOR_SECRETS.internal, KEYS.postgresPassword) }],
      },
      external,
      podAnnotations: databaseBackupHookAnnotations(),
    };
  }
  if (!endpoints.databaseHost) {
    throw new ConfigError('harborValues: harbor.database.type is "external" but no databaseHost was given: pass the RDS endpoint address');
  }
  return {
    type: 'external',
    internal: { password: '' },
    external: {
      ...external,
      host: endpoints.databaseHost,
      port: String(endpoints.databasePort ?? 5432),
      username: HARBOR_DATABASE_USER,
      coreDatabase: db.databaseName,
      // TLS to RDS; the Harbor images do not carry the RDS CA bundle, so not verify-full.
      sslmode: 'require',
    },
  };
}

/** Pod annotation carrying `harbor.redis.authTokenRevision` (external Redis with an auth token only). */
export const REDIS_AUTH_TOKEN_REVISION_ANNOTATION = 'harbor-platform.io/redis-auth-token-revision';

/**
 * The chart reads the synced Redis Secret with `lookup` when it renders and writes the
 * token into core's, jobservice's and the registry's ConfigMaps (chart 1.19.1:
 * `harbor.redis.urlForCore` and friends in _helpers.tpl), so a rotated token reaches Harbor
 * only through a new render. A raised revision changes the values, the deploy upgrades the
 * release, and the changed ConfigMaps roll the pods (their checksum annotations).
 */
function redisAuthTokenRevision(config: EnvironmentConfig): Record<string, string> {
  const r = config.harbor.redis;
  return r.type === 'external' ? { [REDIS_AUTH_TOKEN_REVISION_ANNOTATION]: String(r.authTokenRevision) } : {};
}

function redis(config: EnvironmentConfig, endpoints: HarborEndpoints) {
  const r = config.harbor.redis;
  if (r.type === 'internal') return { type: 'internal' };
  if (!endpoints.redisAddress) {
    throw new ConfigError('harborValues: harbor.redis.type is "external" but no redisAddress was given: pass the ElastiCache primary endpoint as host:port');
  }
  return {
    type: 'external',
    external: {
      addr: endpoints.redisAddress,
      // ElastiCache with an auth token requires in-transit encryption.
      tlsOptions: { enable: true },
      existingSecret: HARBOR_SECRETS.redis,
    },
  };
}

/**
 * LDAP login. `core.configureUserSettings` would become `CONFIG_OVERWRITE_JSON` in
 * a Secret the chart renders from its values, so the bind password would sit in the
 * Helm release, the CloudFormation template and the synthesized values. Instead the
 * same variable is set from a Secret that External Secrets renders in the cluster
 * (the settings from `harborUserSettings(config)` plus the password from Secrets
 * Manager). Harbor reads the variable the same way, so the settings are still final:
 * its API and UI refuse changes to them. Harbor reads it only at start: the checksum of
 * the settings on the pod template rolls core when a setting changes in the config.
 */
function coreValues(config: EnvironmentConfig) {
  return {
    ...tierAvailability(config),
    configureUserSettings: null,
    podAnnotations: { [HARBOR_SETTINGS_CHECKSUM_ANNOTATION]: harborUserSettingsChecksum(config), ...redisAuthTokenRevision(config) },
    existingSecret: HARBOR_SECRETS.internal,
    // Without it the chart generates a new token signing key at every render (genCA).
    secretName: HARBOR_SECRETS.tokenSigning,
    existingXsrfSecret: HARBOR_SECRETS.internal,
    existingXsrfSecretKey: KEYS.csrfKey,
    extraEnvVars: [{ name: KEYS.userSettings, ...secretRef(HARBOR_SECRETS.userSettings, KEYS.userSettings) }],
  };
}

/**
 * The Harbor release's values. `plan`: the environment's plan (its registry storage and image
 * caches are read), computed once by the caller. `endpoints`: the deploy-time addresses.
 * @throws naming the missing address when the database or Redis is external and `endpoints` lacks it.
 */
export function harborValues(config: EnvironmentConfig, plan: HarborValuesPlan, endpoints: HarborEndpoints = {}): HarborValues {
  // Every component's image through the environment's Docker Hub pull-through cache (image-caches.ts).
  return mergeValues(settingValues(config, plan, endpoints), harborImageValues(config, plan));
}

/** The parts of the plan the Harbor values read: the registry's S3 settings and the image caches. */
export type HarborValuesPlan = Pick<EnvironmentPlan, 'registryStorage' | 'images'>;

function settingValues(config: EnvironmentConfig, plan: HarborValuesPlan, endpoints: HarborEndpoints): HarborValues {
  harborChart(config);
  const s = plan.registryStorage;
  const storage = config.harbor.storage;
  const volume = (size: string, storageClass = storage.storageClass) => ({ storageClass, size });
  return {
    externalURL: config.harbor.externalUrl,
    expose: {
      type: 'ingress',
      // TLS ends at the ALB with the ACM certificate; the chart keeps https in URLs.
      tls: { enabled: true, certSource: 'none' },
      ingress: {
        hosts: { core: config.dns.harborHostname },
        controller: 'alb',
        className: 'alb',
        annotations: albAnnotations(config, endpoints),
      },
    },
    persistence: {
      enabled: true,
      persistentVolumeClaim: {
        // Volumes of the chart's own database and Redis only: the chart ignores them for external ones.
        ...(config.harbor.database.type === 'internal' ? { database: volume(storage.database, storage.databaseStorageClass) } : {}),
        ...(config.harbor.redis.type === 'internal' ? { redis: volume(storage.redis) } : {}),
        ...(config.harbor.trivy.enabled ? { trivy: volume(storage.trivy) } : {}),
      },
      imageChartStorage: {
        // MinIO cannot serve the presigned redirects the registry would hand to clients.
        disableredirect: s.disableredirect,
        type: 's3',
        s3: {
          region: s.region,
          bucket: s.bucket,
          // Full in-cluster URL with scheme and port (see endpoints.ts for why each part).
          regionendpoint: s.regionendpoint,
          existingSecret: HARBOR_SECRETS.registryS3,
          // The chart renders only truthy values; plain-HTTP MinIO relies on the scheme above.
          secure: s.secure,
          v4auth: s.v4auth,
          chunksize: String(s.chunksize),
          ...(s.rootdirectory ? { rootdirectory: s.rootdirectory } : {}),
        },
      },
    },
    existingSecretAdminPassword: HARBOR_SECRETS.adminPassword,
    existingSecretAdminPasswordKey: KEYS.adminPassword,
    harborAdminPassword: '',
    existingSecretSecretKey: HARBOR_SECRETS.internal,
    secretKey: '',
    updateStrategy: HARBOR_UPDATE_STRATEGY,
    core: coreValues(config),
    portal: tierAvailability(config),
    jobservice: {
      ...tierAvailability(config),
      jobLoggers: [...JOB_LOGGERS],
      existingSecret: HARBOR_SECRETS.internal,
      existingSecretKey: KEYS.jobserviceSecret,
    },
    registry: {
      ...tierAvailability(config),
      existingSecret: HARBOR_SECRETS.internal,
      existingSecretKey: KEYS.registryHttpSecret,
      credentials: {
        username: HARBOR_REGISTRY_USER,
        password: '',
        existingSecret: HARBOR_SECRETS.internal,
      },
    },
    trivy: { enabled: config.harbor.trivy.enabled },
    // The directory's private CA, added to the trust store of core (LDAP), jobservice, registry and trivy.
    ...(config.ldap.caBundleSecret ? { caBundleSecretName: HARBOR_SECRETS.ldapCaBundle } : {}),
    database: database(config, endpoints),
    redis: redis(config, endpoints),
  };
}
