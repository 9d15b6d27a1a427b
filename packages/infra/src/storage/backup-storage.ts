import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { PlatformCluster } from '../cluster/platform-cluster.js';
import type { PodIdentityRole } from '../cluster/pod-identity-role.js';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';
import { protectionProps, type BackupCopy, type BackupObjectLock } from './bucket-protection.js';
import { backupExpiryDays } from './retention.js';

/** The tag Velero puts on every snapshot it creates (the backup's name). */
export const VELERO_SNAPSHOT_TAG = 'velero.io/backup';

/** A Kubernetes service account that gets a Pod Identity role. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export interface BackupStorageProps {
  readonly cluster: PlatformCluster;
  /** Bucket of Velero's backups. */
  readonly veleroBucketName: string;
  /**
   * Velero's key prefix in its bucket (the BackupStorageLocation prefix), ending
   * in "/". May be empty only when the registry-data copy has a bucket of its own.
   */
  readonly veleroPrefix: string;
  /** TTLs of the Velero schedules (Go durations such as "720h"); the longest sets the expiry. */
  readonly scheduleTtls: string[];
  /** Velero's server service account. */
  readonly velero: ServiceAccountRef;
  /** Where the registry-data copy lands: the Velero bucket under its own prefix, or a bucket of its own. */
  readonly registryData: { readonly bucketName: string; readonly prefix: string };
  /** The registry-data backup job's service account (writes the copy). */
  readonly registryWriter: ServiceAccountRef;
  /** The restore drill's service account (reads the copy). */
  readonly registryReader: ServiceAccountRef;
  /**
   * Added to the longest TTL before S3 expires a Velero object.
   * @default DEFAULTS.backup.expiryMargin (7 days)
   */
  readonly expiryMargin?: Duration;
  /**
   * How long overwritten or deleted versions are kept.
   * @default DEFAULTS.backup.noncurrentVersionExpiration (30 days)
   */
  readonly noncurrentVersionExpiration?: Duration;
  /**
   * S3 Object Lock on the backup buckets (set at creation: S3 cannot add it to an existing bucket).
   * @default - no Object Lock
   */
  readonly objectLock?: BackupObjectLock;
  /**
   * Replicate the Velero bucket (and with it a shared registry-data copy) to a bucket in another account or region.
   * @default - no copy
   */
  readonly copy?: BackupCopy;
}

/**
 * The backup buckets and who may touch them. Both layers of backup land here:
 * Velero's (objects expire after the longest schedule TTL plus a margin) and
 * the registry-data copy (never expired by age: the copy is incremental, so the
 * newest inventory still needs old blobs; only noncurrent versions expire and
 * pruning is `registry-backup --prune`). Versioned, KMS-encrypted, public
 * access blocked, TLS only, access-logged.
 */
export class BackupStorage extends Construct {
  readonly key: kms.Key;
  readonly veleroBucket: s3.Bucket;
  readonly registryBucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly veleroRole: PodIdentityRole;
  readonly registryWriterRole: PodIdentityRole;
  readonly registryReaderRole: PodIdentityRole;
  /** Days after which S3 expires Velero's objects. */
  readonly veleroExpiryDays: number;
  /** Key prefix of the registry-data copy in `registryBucket`. */
  readonly registryDataPrefix: string;

  constructor(scope: Construct, id: string, props: BackupStorageProps) {
    super(scope, id);
    const shared = props.registryData.bucketName === props.veleroBucketName;
    const margin = props.expiryMargin ?? DEFAULTS.backup.expiryMargin;
    const noncurrent = props.noncurrentVersionExpiration ?? DEFAULTS.backup.noncurrentVersionExpiration;
    this.veleroExpiryDays = validate(props, shared, margin);
    this.registryDataPrefix = props.registryData.prefix;

    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Backups: Velero and the registry-data copy' });
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // Log delivery cannot write with a customer-managed key.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket of the backup buckets; logging it into itself would loop.' },
    ]);

    const abort = DEFAULTS.backup.abortIncompleteMultipartUploadAfter;
    const veleroRules: s3.LifecycleRule[] = [
      { id: 'expire-velero-backups', prefix: props.veleroPrefix || undefined, expiration: Duration.days(this.veleroExpiryDays) },
      { id: 'expire-velero-noncurrent', prefix: props.veleroPrefix || undefined, noncurrentVersionExpiration: noncurrent, expiredObjectDeleteMarker: true },
    ];
    // No `expiration` here, on purpose: see the class comment.
    const registryRules: s3.LifecycleRule[] = [
      { id: 'registry-data-noncurrent', prefix: props.registryData.prefix, noncurrentVersionExpiration: noncurrent, expiredObjectDeleteMarker: true },
    ];
    const everything: s3.LifecycleRule = { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: abort };

    this.veleroBucket = this.bucket('Bucket', props.veleroBucketName, shared ? [...veleroRules, ...registryRules, everything] : [...veleroRules, everything], protectionProps(this, 'Bucket', props.objectLock, props.copy));
    this.registryBucket = shared ? this.veleroBucket : this.bucket('RegistryBucket', props.registryData.bucketName, [...registryRules, everything], protectionProps(this, 'RegistryBucket', props.objectLock));

    this.veleroRole = props.cluster.addPodIdentityRole('VeleroRole', { ...props.velero, description: 'Velero server: backups in S3, EBS snapshots' });
    this.grantVelero(this.veleroRole.role, props.veleroPrefix);
    this.registryWriterRole = props.cluster.addPodIdentityRole('RegistryWriterRole', { ...props.registryWriter, description: 'Registry-data backup: writes the copy' });
    this.grantRegistry(this.registryWriterRole.role, props.registryData.prefix, true);
    this.registryReaderRole = props.cluster.addPodIdentityRole('RegistryReaderRole', { ...props.registryReader, description: 'Restore drill: reads the registry-data copy' });
    this.grantRegistry(this.registryReaderRole.role, props.registryData.prefix, false);
  }

  private bucket(id: string, bucketName: string, lifecycleRules: s3.LifecycleRule[], protection: Partial<s3.BucketProps>): s3.Bucket {
    return new s3.Bucket(this, id, {
      ...protection,
      bucketName,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${bucketName}/`,
      lifecycleRules,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * The Velero AWS plugin's documented policy, with objects narrowed to Velero's prefix
   * and EBS snapshots to Velero's own: the plugin creates each snapshot with Velero's
   * tags in the same call (TagSpecifications, `velero.io/backup` among them), so creation
   * requires that tag, tags may be written only while creating, and DeleteSnapshot needs
   * it on the snapshot: no other snapshot of the account can be deleted.
   * @see https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
   */
  private grantVelero(role: iam.Role, prefix: string): void {
    const bucket = this.veleroBucket;
    const { partition, region, account } = Stack.of(this);
    const snapshots = `arn:${partition}:ec2:${region}::snapshot/*`;
    const volumes = `arn:${partition}:ec2:${region}:${account}:volume/*`;
    const veleroTag = { StringLike: { [`aws:ResourceTag/${VELERO_SNAPSHOT_TAG}`]: '*' } };
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VeleroEbsDescribe', actions: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VeleroEbsSnapshotVolumes', actions: ['ec2:CreateSnapshot'], resources: [volumes] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'VeleroEbsCreateTaggedSnapshots',
      actions: ['ec2:CreateSnapshot'],
      resources: [snapshots],
      conditions: { StringLike: { [`aws:RequestTag/${VELERO_SNAPSHOT_TAG}`]: '*' } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VeleroEbsRestoreVolumes', actions: ['ec2:CreateVolume'], resources: [volumes, snapshots] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'VeleroEbsTagOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [volumes, snapshots],
      conditions: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VeleroEbsDeleteOwnSnapshots', actions: ['ec2:DeleteSnapshot'], resources: [snapshots], conditions: veleroTag }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'VeleroObjects',
      actions: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VeleroList', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    NagSuppressions.addResourceSuppressions(role, [
      { id: 'AwsSolutions-IAM5', reason: "The Velero AWS plugin's policy: EC2 Describe calls take no resource; snapshot and volume IDs are generated, so their ARNs end in *, and creating, tagging and deleting snapshots is conditioned on Velero's own tag; S3 object actions are limited to Velero's prefix in the backup bucket." },
    ], true);
  }

  /**
   * Lets `role` read (and, with `write`, write and prune) the registry-data copy and
   * nothing else of the bucket, such as a GitHub workflow role imported by name.
   */
  grantRegistryData(role: iam.IRole, write: boolean): void {
    this.grantRegistry(role, this.registryDataPrefix, write);
  }

  /** Read (and, for the writer, write and prune) the registry-data prefix, nothing else. */
  private grantRegistry(role: iam.IRole, prefix: string, write: boolean): void {
    const bucket = this.registryBucket;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RegistryDataList',
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: write ? 'RegistryDataWrite' : 'RegistryDataRead',
      actions: write
        ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']
        : ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }));
    if (write) this.key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    else this.key.grant(role, 'kms:Decrypt');
    NagSuppressions.addResourceSuppressions(role, [
      { id: 'AwsSolutions-IAM5', reason: `Object keys are content-addressed blobs and inventories under "${prefix}": the wildcard is that prefix and nothing wider.` },
    ], true);
  }
}

function validate(props: BackupStorageProps, shared: boolean, margin: Duration): number {
  const check = new PropsCheck('BackupStorage');
  const prefix = /^([a-z0-9][a-z0-9._-]*\/)+$/;
  check.require(props.veleroPrefix === '' || prefix.test(props.veleroPrefix), `veleroPrefix: "${props.veleroPrefix}" is not a key prefix: write it as "velero/"`);
  check.require(!(shared && props.veleroPrefix === ''), 'veleroPrefix: empty while the registry-data copy shares the bucket: give Velero a prefix such as "velero/" so its expiry never touches the copy');
  check.require(prefix.test(props.registryData.prefix), `registryData.prefix: "${props.registryData.prefix}" is not a key prefix: write it as "registry-data/"`);
  check.require(
    !shared || props.veleroPrefix === '' || !(props.veleroPrefix.startsWith(props.registryData.prefix) || props.registryData.prefix.startsWith(props.veleroPrefix)),
    `registryData.prefix: "${props.registryData.prefix}" overlaps veleroPrefix "${props.veleroPrefix}" in the same bucket: give the copy a prefix of its own, such as "registry-data/"`,
  );
  let days = 0;
  try {
    days = backupExpiryDays(props.scheduleTtls, margin.toDays());
  } catch (e) {
    check.require(false, `scheduleTtls: ${(e as Error).message}`);
  }
  check.throwIfAny();
  return days;
}
