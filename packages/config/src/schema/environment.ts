import { z } from 'zod';
import { ACM_CERTIFICATE_ARN, AWS_ACCOUNT_ID, GITHUB_OIDC_PROVIDER_ARN, GITHUB_OWNER, GITHUB_REPO, IAM_ROLE_ARN, KMS_KEY_ARN, POSTGRES_IDENTIFIER } from '../validators.js';
import { absoluteUrl, bucketName, cron, dnsName, k8sName, resources, secretName, sizeGi, ttl } from './common.js';

/**
 * The schema of one environment (`environments/<name>.yaml`). Structure, types
 * and formats live here; rules that span fields live in `../rules`.
 * Every object is strict: an unknown key is refused, which is how a `password:`
 * field is kept out.
 */

const aws = z.strictObject({
  account: z.string().regex(AWS_ACCOUNT_ID, { error: 'must be a 12-digit AWS account id: quote it so YAML keeps leading zeros, such as "123456789012"' }),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'is not an AWS region: use a region code such as "ap-northeast-2"' }),
  availabilityZones: z
    .array(z.string())
    .describe('The three Availability Zones by name, so synthesis needs no AWS lookup.'),
});

const network = z.strictObject({
  vpcCidr: z.string().describe('IPv4 CIDR of the VPC, /16 to /24.'),
  natGateways: z.enum(['single', 'perAz']).describe('`perAz` keeps egress when an AZ fails; `single` is cheaper.'),
});

const nodeGroups = z.strictObject({
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'is not an EC2 instance type: use a name such as "m6i.large"' })).min(1),
  minPerAz: z.number().int().min(0).describe('Nodes per AZ at least; must hold every pod that needs a node of its own there (MinIO servers, the drill\'s copy).'),
  desiredPerAz: z
    .number()
    .int()
    .min(0)
    .describe('Nodes per AZ the group runs. No autoscaler runs, so it is also the most: the group never grows by itself.'),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  capacityType: z.enum(['ON_DEMAND', 'SPOT']).default('ON_DEMAND'),
});

const cluster = z.strictObject({
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, { error: 'is not a Kubernetes minor version: write it quoted, such as "1.35"' }),
  nodeGroups,
  adminRoleArns: z
    .array(z.string().regex(IAM_ROLE_ARN, { error: 'is not an IAM role ARN: use arn:aws:iam::<account>:role/<name>' }))
    .default([])
    .describe('IAM roles granted cluster admin through EKS access entries.'),
  endpointPublicAccess: z.boolean().default(false).describe('Expose the Kubernetes API endpoint to the internet (still behind IAM and access entries). Off by default: the pipeline reaches the private endpoint from its runners in the VPC.'),
  defaultStorageClass: k8sName
    .default('gp3')
    .describe('The cluster\'s default StorageClass: one of harbor.storage.storageClass, harbor.storage.databaseStorageClass or minio.storageClass. @default gp3'),
});

const dns = z.strictObject({
  harborHostname: dnsName,
  hostedZone: dnsName.describe('The public Route 53 hosted zone that holds harborHostname; ExternalDNS writes the record there.'),
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]+$/, {
      error: 'is not a Route 53 hosted zone ID: write the ID alone, Z followed by upper-case letters and digits, as aws route53 list-hosted-zones-by-name --dns-name <zone> prints it (HostedZones[0].Id without /hostedzone/)',
    })
    .describe(
      'ID of the Route 53 hosted zone dns.hostedZone names: the only zone the ExternalDNS IAM policy may change. ' +
        '`aws route53 list-hosted-zones-by-name --dns-name <zone>` prints it. ' +
        '@see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/',
    ),
  externalDnsChartVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, { error: 'is not a chart version: write it as "1.22.0"' })
    .describe('Version of the ExternalDNS Helm chart (kubernetes-sigs/external-dns) that points harborHostname at the load balancer; one of the tested versions.'),
  certificateArn: z
    .string()
    .regex(ACM_CERTIFICATE_ARN, { error: 'is not an ACM certificate ARN: use arn:aws:acm:<region>:<account>:certificate/<id>' }),
});

const minioPool = z.strictObject({
  serversPerAz: z.number().int().min(1).max(16).describe('MinIO server pods in each AZ.'),
  drivesPerServer: z.number().int().min(1).max(16).describe('EBS volumes mounted by each server.'),
  driveSize: sizeGi.describe('Size of each drive (EBS gp3 volume).'),
});

const minio = z.strictObject({
  image: z
    .string()
    .optional()
    .describe(
      'An external MinIO server image, pinned by digest: repository[:tag]@sha256:<64 hex> (tags alone are refused). @default - the platform builds MinIO from the final community source (RELEASE.2025-10-15T17-29-55Z or later) and pushes it to the environment\'s ECR repository harbor-platform-<env>/minio; the pods run it by the digest the build wrote',
    ),
  clientImage: z
    .string()
    .describe('MinIO client (`mc`) image for the provisioning Job, pinned by digest: repository[:tag]@sha256:<64 hex>.'),
  namespace: k8sName.default('minio'),
  serviceName: k8sName.default('minio'),
  endpoint: absoluteUrl
    .optional()
    .describe(
      "S3 API URL of the platform's MinIO as the registry reaches it: http://, the Service serviceName in namespace (<svc>.<ns>, <svc>.<ns>.svc or <svc>.<ns>.svc.cluster.local), port 9000. Any other store goes in externalEndpoint. @default http://<serviceName>.<namespace>.svc.cluster.local:9000",
    ),
  externalEndpoint: absoluteUrl
    .optional()
    .describe(
      "S3 API URL of a store outside the platform's MinIO (http:// or https://, explicit port) that the registry, the provisioning Job and the registry-data backup use instead; the platform's MinIO still runs, and the restore drill refuses an external store. @default - the platform's MinIO",
    ),
  pools: z.array(minioPool).min(1).describe('Server pools; each has its own erasure sets and quorum.'),
  setDriveCount: z.number().int().min(2).max(16).optional().describe('Override of MINIO_ERASURE_SET_DRIVE_COUNT. @default - chosen as MinIO does'),
  parity: z.number().int().min(0).max(8).optional().describe('EC:M parity of every erasure set (MINIO_STORAGE_CLASS_STANDARD). @default - MinIO default for the set size'),
  tolerateZoneLoss: z.enum(['none', 'read', 'readWrite']).describe('What must survive the loss of one whole AZ.'),
  storageClass: k8sName.default('gp3-zonal'),
  statefulSetRevision: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      "Raise by one when MinIO's StatefulSets were deleted without their pods to take a new drive size (README, \"Changing MinIO drives and pools\"): synth and the deploy job then accept the changed volume claim template once. @default 0",
    ),
  bucket: bucketName.describe('Bucket holding Harbor registry data.'),
  rootCredentialsSecret: secretName('MinIO root credentials'),
  harborCredentialsSecret: secretName('MinIO Harbor user credentials'),
  resources,
});

const internalOnly = z.strictObject({ type: z.literal('internal') });

const externalDatabase = z.strictObject({
  type: z.literal('external'),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'is not an RDS instance class: use a name such as "db.r6g.large"' }),
  engineVersion: z
    .string()
    .regex(/^\d+$/, { error: 'is not a PostgreSQL major version: write the major alone, quoted, such as "16" (RDS creates its current minor and applies minor upgrades itself; a pinned minor fails once AWS stops offering it)' })
    .describe('PostgreSQL major version, such as "16": RDS picks the minor and upgrades it automatically.'),
  multiAz: z.boolean(),
  allocatedStorageGiB: z.number().int().min(20).max(65536),
  databaseName: z.string().regex(POSTGRES_IDENTIFIER, { error: 'is not a PostgreSQL database name: lower-case letters, digits and underscores' }).default('registry'),
  // Required: the CDK app creates the secret by this name and External Secrets reads it by the same.
  credentialsSecret: secretName('database credentials'),
});

const externalRedis = z.strictObject({
  type: z.literal('external'),
  nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'is not an ElastiCache node type: use a name such as "cache.r7g.large"' }),
  multiAz: z.boolean(),
  // Required: the CDK app creates the secret by this name and External Secrets reads it by the same.
  authTokenSecret: secretName('Redis auth token'),
  authTokenRevision: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      "Raise by one after rotating the auth token in Secrets Manager. Harbor's chart copies the token into Harbor's ConfigMaps when it renders (a lookup of the synced Secret), so a rotated token reaches Harbor only through a new render: a changed value makes the deploy upgrade the release, and the changed ConfigMaps roll core, jobservice, registry and trivy. @default 0",
    ),
});

/** Harbor state kept by one copy in one AZ unless it is external and Multi-AZ (`harbor.acceptZonalState`). */
export const ZONAL_STATE = ['database', 'redis'] as const;
export type ZonalState = (typeof ZONAL_STATE)[number];

const harbor = z.strictObject({
  chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'is not a chart version: write it as "1.19.1"' }),
  namespace: k8sName.default('harbor'),
  externalUrl: absoluteUrl,
  adminPasswordSecret: secretName('the Harbor admin password'),
  internalSecretsSecret: secretName('the seed of Harbor internal secrets').describe(
    'Name of the Secrets Manager secret holding a random seed (at least 32 characters) from which External Secrets derives Harbor\'s internal secrets (secretKey, core, jobservice, registry HTTP and credentials, CSRF key, internal database password).',
  ),
  database: z.discriminatedUnion('type', [internalOnly, externalDatabase]),
  redis: z.discriminatedUnion('type', [internalOnly, externalRedis]),
  replicas: z
    .number()
    .int()
    .min(2)
    .default(2)
    .describe("Replicas of each of Harbor's stateless tiers (core, portal, registry, jobservice), spread over the three AZs; at least 2, since one replica is an outage whenever its pod, node or AZ goes. @default 2"),
  tokenSigningSecret: secretName("the key and certificate that sign Harbor's registry tokens").describe(
    "Name of the Secrets Manager secret holding the RSA key and self-signed certificate with which Harbor's core signs registry tokens (JSON keys `privateKey`, `certificate`, PEM). The CDK app creates it and fills it once; External Secrets syncs it into the kubernetes.io/tls Secret the chart's `core.secretName` names, so every render and every core replica signs with the same key. Delete the secret's value and redeploy to rotate.",
  ),
  acceptZonalState: z
    .array(z.enum(ZONAL_STATE))
    .default([])
    .describe(
      'Harbor state that may stay in one AZ although minio.tolerateZoneLoss is readWrite: `database` (internal PostgreSQL or a single-AZ RDS instance), `redis` (internal Redis or a single-AZ ElastiCache group). Each is one copy on a zonal volume or node: Harbor stops while its AZ is down. Naming it accepts that gap; the plan reports it. @default [] - none accepted',
    ),
  trivy: z.strictObject({ enabled: z.boolean() }),
  storage: z.strictObject({
    storageClass: k8sName.default('gp3').describe('Class of the Redis and Trivy volumes (reclaim policy Delete). @default gp3'),
    databaseStorageClass: k8sName.default('gp3-retain').describe('Class of the internal database volume (reclaim policy Retain). @default gp3-retain'),
    database: sizeGi,
    redis: sizeGi,
    trivy: sizeGi,
  }),
  gc: z
    .strictObject({
      cron,
      deleteUntagged: z.boolean().default(false).describe("Also delete artifacts without a tag (Harbor's delete_untagged). @default false"),
    })
    .optional()
    .describe(
      "Harbor's garbage collection schedule, applied through Harbor's API after every deploy (harbor-gc) and compared by drift; must not overlap the registry-data backup window. @default - no schedule: the deploy removes any schedule set by hand",
    ),
});

const ldap = z.strictObject({
  url: absoluteUrl.describe('ldap:// or ldaps:// URL of the directory.'),
  baseDn: z.string().min(1),
  anonymousSearch: z.boolean().default(false),
  searchDn: z.string().min(1).optional(),
  bindPasswordSecret: secretName('the LDAP search account password').optional(),
  filter: z.string().default('(objectClass=person)'),
  uidAttribute: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, { error: 'is not an LDAP attribute name' }).default('uid'),
  scope: z.enum(['base', 'onelevel', 'subtree']).default('subtree'),
  timeoutSeconds: z.number().int().min(1).max(300).default(5),
  verifyCertificate: z.boolean().default(true),
  caBundleSecret: secretName('the LDAP CA bundle')
    .optional()
    .describe(
      "Name of the Secrets Manager secret whose whole string is the PEM bundle of the CA that issued the directory's certificate (a company CA). Synced into Harbor's namespace (key ca.crt) and set as the chart's caBundleSecretName, which adds it to the trust store of core, jobservice, registry and trivy; ldap-check trusts exactly that bundle with --ca-file. Needs ldaps:// and verifyCertificate. @default - only the public CAs of Harbor's images",
    ),
  groups: z
    .strictObject({
      baseDn: z.string().min(1),
      filter: z.string().default('(objectClass=groupOfNames)'),
      nameAttribute: z.string().default('cn'),
      adminDn: z.string().min(1).optional(),
      membershipAttribute: z.string().default('memberof'),
      scope: z.enum(['base', 'onelevel', 'subtree']).default('subtree'),
    })
    .optional(),
});

const schedule = z.strictObject({
  name: k8sName,
  cron,
  ttl,
  includedNamespaces: z.array(k8sName).min(1),
  snapshotVolumes: z.boolean().default(true),
});

const velero = z.strictObject({
  chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'is not a chart version: write it as "12.0.3"' }),
  version: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: 'is not a Velero version: write it as "1.18.2"' }),
  awsPluginVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, { error: 'is not a plugin version: write it as "v1.14.2"' }),
  namespace: k8sName.default('velero'),
  backupBucket: bucketName,
  fileSystemBackup: z.boolean().default(false).describe('Deploy the node agent for file-system backups.'),
  schedules: z.array(schedule).min(1),
  drill: z.strictObject({
    cron,
    namespaceSuffix: z.string().regex(/^-[a-z0-9-]{1,20}$/, { error: 'must be a hyphen and up to 20 lower-case letters, digits or hyphens, such as "-drill"' }),
    rtoTargetMinutes: z.number().int().min(1).max(24 * 60),
    timeoutMinutes: z.number().int().min(1).max(24 * 60).default(90),
    zoneLoss: z.strictObject({
      enabled: z.boolean().default(true).describe('Run the AZ-loss step. @default true'),
      zone: z.string().default('rotate').describe('The AZ to take away: one of aws.availabilityZones, or "rotate" (the UTC day number modulo the AZ count: every AZ in turn over consecutive nights, the same one on a rerun that day). @default "rotate"'),
    }).prefault({}).describe("After the drill verified the restore, take the drill MinIO's servers of one AZ away (its StatefulSets in the drill namespace scaled to zero), check what the plan promises for that loss (pulls; a push, or a clean refusal), bring them back and verify again after healing. @default - enabled, AZ by rotation"),
  }),
  objectLock: z.strictObject({
    mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).describe('GOVERNANCE: a principal with s3:BypassGovernanceRetention can still delete; COMPLIANCE: nobody can, the root user included, until the retention ends.'),
    days: z.number().int().min(1).max(36500).describe('Default retention of every object version written to the backup bucket, days.'),
  }).optional().describe('S3 Object Lock on the backup bucket (set when the bucket is created: S3 cannot turn it on for an existing bucket without AWS Support). @default - no Object Lock'),
  backupCopy: z.strictObject({
    bucket: bucketName.describe('Destination bucket, created and owned outside this platform (another account or region).'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'is not an AWS region such as "eu-west-1"' }),
    account: z.string().regex(AWS_ACCOUNT_ID, { error: 'must be a 12-digit AWS account ID' }).optional().describe('Account owning the destination: replicas become its property. @default - the environment\'s account'),
    kmsKeyArn: z.string().regex(KMS_KEY_ARN, { error: 'is not a KMS key ARN such as "arn:aws:kms:eu-west-1:333333333333:key/<uuid>"' })
      .describe('Key in the destination\'s region that encrypts the replicas (the backups are KMS-encrypted; S3 replicates them only with a key for the replicas). Its policy must let the replication role encrypt.'),
  }).optional().describe('S3 replication of the backup bucket to a bucket in a second account or region. @default - no copy'),
});

const registryBackup = z.strictObject({
  image: z
    .string()
    .optional()
    .describe(
      'An external image of the harbor-platform ops CLI (run by the backup and settings-reload CronJobs), pinned by digest: repository[:tag]@sha256:<64 hex>. @default - the platform builds it from this repository and pushes it to the environment\'s ECR repository harbor-platform-<env>/ops; the pods run it by the digest the build wrote',
    ),
  cron,
  retention: z.number().int().min(1).max(1000).describe('Inventories kept; blobs none of them reference are pruned.'),
  bucket: bucketName,
  prefix: z.string().regex(/^([a-z0-9][a-z0-9._-]*\/)+$/, { error: 'must be a key prefix ending in "/", such as "registry-data/"' }),
  maxDurationMinutes: z.number().int().min(1).max(24 * 60).default(120).describe('Upper bound of one backup run, used to keep GC out of its window.'),
});

const github = z.strictObject({
  owner: z.string().regex(GITHUB_OWNER, { error: 'is not a GitHub owner name' }),
  repo: z.string().regex(GITHUB_REPO, { error: 'is not a GitHub repository name' }),
  environment: z
    .string()
    .min(1)
    // GitHub allows 255 characters; the operations environment adds OPERATIONS_ENVIRONMENT_SUFFIX (11).
    .max(244)
    .regex(/^[^*?:]+$/, { error: 'must name one GitHub environment exactly (the role trust matches the token\'s sub claim): no * ? or :' })
    .describe('GitHub environment of deploys and restores (its required reviewers gate them). Smoke, drift and the drill run in `<environment>-operations`, which has no reviewers.'),
  requireReviewers: z.boolean(),
  oidcProviderArn: z
    .string()
    .regex(GITHUB_OIDC_PROVIDER_ARN, {
      error: 'is not the ARN of a GitHub OIDC provider: use arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
    })
    .optional()
    .describe('The account\'s existing GitHub OIDC provider (an account holds one per URL): the GitHub stack imports it instead of creating it. @default - the GitHub stack creates it'),
  ownerId: z.number().int().positive().optional()
    .describe('Numeric ID of the owner (`gh api repos/OWNER/REPO --jq .owner.id`): the roles trust the immutable subject, which names IDs, not names. Required unless legacySubject.'),
  repositoryId: z.number().int().positive().optional()
    .describe('Numeric ID of the repository (`gh api repos/OWNER/REPO --jq .id`). Required unless legacySubject.'),
  legacySubject: z.boolean().default(false)
    .describe('The repository still uses the name-based subject (`repo:<owner>/<repo>`): trust that form instead of the IDs. @default false'),
});

/**
 * Fields that once existed, by path, with why they went and the fix: a config that still
 * sets one is told this instead of "not a known field".
 */
export const RETIRED_FIELDS: Record<string, string> = {
  'cluster.nodeGroups.maxPerAz':
    'was removed: no autoscaler runs, so it never added a node: delete it (each group runs desiredPerAz nodes, and minPerAz is checked against what must run in the AZ)',
};

/**
 * Required fields whose problem says more than "is required: add it", by path: why the field
 * is needed (`why`, after "is required") and where its value comes from (`fix`, in which
 * `{environment}` stands for the environment's name).
 */
export const REQUIRED_FIELDS: Record<string, { readonly why?: string; readonly fix: string }> = {
  'dns.hostedZoneId': {
    fix: 'add the ID of the zone dns.hostedZone names, as aws route53 list-hosted-zones-by-name --dns-name <dns.hostedZone> prints it (HostedZones[0].Id without /hostedzone/)',
  },
  'harbor.database.credentialsSecret': {
    why: 'with an external database: Harbor reads the generated credentials by this name',
    fix: 'name it, such as "harbor-platform/{environment}/harbor-database"',
  },
  'harbor.redis.authTokenSecret': {
    why: 'with an external Redis: ElastiCache gets an AUTH token and Harbor reads it by this name',
    fix: 'name it, such as "harbor-platform/{environment}/harbor-redis"',
  },
};

export const environmentSchema = z.strictObject({
  name: k8sName.describe('Environment name; matches the file name.'),
  stage: z.enum(['dev', 'prod']).describe('`prod` turns on the high-availability rules.'),
  aws,
  network,
  cluster,
  dns,
  minio,
  harbor,
  ldap,
  velero,
  registryBackup,
  github,
});

/** A parsed, defaulted environment. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
