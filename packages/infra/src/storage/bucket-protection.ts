import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Duration } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

/**
 * S3 Object Lock default retention of the backup bucket.
 * - GOVERNANCE: object versions cannot be deleted or overwritten before `days`, except
 *   by a principal granted s3:BypassGovernanceRetention (none of the platform's roles;
 *   a test checks).
 * - COMPLIANCE: nobody can, the account's root user included, until `days` have passed.
 * Deletes without a version ID still add delete markers, so Velero's and the copy's
 * pruning work as before; the versions stay recoverable until the retention ends, and
 * the noncurrent-version lifecycle removes them after that. Uploads must carry a
 * checksum (the AWS SDKs and the Velero AWS plugin send CRC32 by default).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export interface BackupObjectLock {
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Default retention, days. */
  readonly days: number;
}

/**
 * Replication of every object version to a bucket outside this account's or region's
 * blast radius. The destination bucket (versioned, with a policy that admits the
 * replication role) and its KMS key are created and owned outside this platform.
 * Delete markers are not replicated: deleting here never deletes the copy.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html
 */
export interface BackupCopy {
  readonly bucketName: string;
  readonly region: string;
  readonly account: string;
  /** Key in the destination's region that encrypts the replicas. */
  readonly kmsKeyArn: string;
}

/** The Bucket props that lock and copy a backup bucket (none for neither). */
export function protectionProps(scope: Construct, id: string, lock?: BackupObjectLock, copy?: BackupCopy): Partial<s3.BucketProps> {
  const props: { -readonly [K in keyof s3.BucketProps]?: s3.BucketProps[K] } = {};
  if (lock) {
    props.objectLockEnabled = true;
    props.objectLockDefaultRetention = lock.mode === 'COMPLIANCE'
      ? s3.ObjectLockRetention.compliance(Duration.days(lock.days))
      : s3.ObjectLockRetention.governance(Duration.days(lock.days));
  }
  if (copy) {
    const destination = s3.Bucket.fromBucketAttributes(scope, `${id}CopyDestination`, { bucketName: copy.bucketName, account: copy.account, region: copy.region });
    props.replicationRules = [{
      destination,
      priority: 1,
      sseKmsEncryptedObjects: true,
      kmsKey: kms.Key.fromKeyArn(scope, `${id}CopyKey`, copy.kmsKeyArn),
      // Replicas belong to the destination's account, so this account cannot delete them.
      accessControlTransition: true,
      deleteMarkerReplication: false,
    }];
  }
  return props;
}

