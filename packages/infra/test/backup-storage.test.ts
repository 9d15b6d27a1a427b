import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testCluster, type SynthesizedEnvironment } from './util.js';
import { BackupStorage, backupExpiryDays, durationHours, type BackupStorageProps } from '../src/index.js';

/** The statements of the inline policies attached to the role bound to namespace/serviceAccount. */
function statementsOf(t: Template, namespace: string, serviceAccount: string): any[] {
  const association = Object.values(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation')).find(
    (a) => a.Properties.Namespace === namespace && a.Properties.ServiceAccount === serviceAccount,
  );
  expect(association, `${namespace}/${serviceAccount} has a Pod Identity association`).toBeDefined();
  const role = refId(association!.Properties.RoleArn);
  return Object.values(resourcesOf(t, 'AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => refId(r) === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function bucketNamed(t: Template, name: string) {
  const entry = Object.entries(resourcesOf(t, 'AWS::S3::Bucket')).find(([, b]) => b.Properties.BucketName === name);
  expect(entry, `bucket ${name}`).toBeDefined();
  return { id: entry![0], props: entry![1].Properties };
}

describe('BackupStorage in the prod stack', () => {
  let prod: SynthesizedEnvironment;
  let bucket: { id: string; props: Record<string, any> };
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
    bucket = bucketNamed(prod.template, prod.config.velero.backupBucket);
  }, SYNTH_TIMEOUT);

  it("encrypts the bucket with the backups' own KMS key", () => {
    const rule = bucket.props.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(rule.BucketKeyEnabled).toBe(true);
    const key = resourcesOf(prod.template, 'AWS::KMS::Key')[refId(rule.ServerSideEncryptionByDefault.KMSMasterKeyID)!];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
  });

  it('versions the bucket', () => {
    expect(bucket.props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('blocks every kind of public access', () => {
    expect(bucket.props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('refuses requests without TLS, or with TLS older than 1.2', () => {
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket.id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it("expires Velero's objects after the longest schedule TTL plus the margin (720h = 30 days, + 7)", () => {
    expect(bucket.props.LifecycleConfiguration.Rules).toContainEqual({ Id: 'expire-velero-backups', Prefix: 'velero/', ExpirationInDays: 37, Status: 'Enabled' });
  });

  it('never expires the registry-data copy by age: only noncurrent versions expire', () => {
    const rules = bucket.props.LifecycleConfiguration.Rules.filter((r: any) => r.Prefix === prod.config.registryBackup.prefix);
    expect(rules).toEqual([
      { Id: 'registry-data-noncurrent', Prefix: 'registry-data/', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
    ]);
    const unscoped = bucket.props.LifecycleConfiguration.Rules.filter((r: any) => r.Prefix === undefined);
    for (const rule of unscoped) expect(rule.ExpirationInDays).toBeUndefined();
  });

  it('logs access to the bucket', () => {
    expect(bucket.props.LoggingConfiguration).toMatchObject({ LogFilePrefix: `${prod.config.velero.backupBucket}/` });
  });

  it("grants Velero the AWS plugin's actions, its objects narrowed to its prefix, and deletes only of the snapshots it tagged", () => {
    const statements = statementsOf(prod.template, prod.config.velero.namespace, 'velero-server');
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    const ec2 = statements.filter((s) => JSON.stringify(s.Action).includes('ec2:'));
    expect(ec2.flatMap((s) => [s.Action].flat()).sort()).toEqual(['ec2:CreateSnapshot', 'ec2:CreateSnapshot', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:DeleteSnapshot', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes']);
    // Only Describe runs on every resource; each write names snapshot or volume ARNs of the region.
    for (const s of ec2.filter((x) => x.Sid !== 'VeleroEbsDescribe')) expect(JSON.stringify(s.Resource), s.Sid).toMatch(/:ec2:ap-northeast-2:(222222222222)?:(snapshot|volume)\/\*/);
    expect(bySid.VeleroEbsDeleteOwnSnapshots).toMatchObject({ Action: 'ec2:DeleteSnapshot', Condition: { StringLike: { 'aws:ResourceTag/velero.io/backup': '*' } } });
    expect(bySid.VeleroEbsCreateTaggedSnapshots.Condition).toEqual({ StringLike: { 'aws:RequestTag/velero.io/backup': '*' } });
    // Tags only while creating: Velero cannot tag someone else's snapshot and then delete it.
    expect(bySid.VeleroEbsTagOnCreate.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } });
    expect([...bySid.VeleroObjects.Action].sort()).toEqual(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject', 's3:PutObjectTagging']);
    expect(JSON.stringify(bySid.VeleroObjects.Resource)).toContain('/velero/*');
    expect(bySid.VeleroList).toMatchObject({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucket.id, 'Arn'] } });
  });

  it('has no Object Lock and no copy unless the config asks', () => {
    expect(bucket.props.ObjectLockEnabled).toBeUndefined();
    expect(bucket.props.ReplicationConfiguration).toBeUndefined();
  });

  it('lets the registry-data writer touch only its prefix', () => {
    const statements = statementsOf(prod.template, prod.config.harbor.namespace, 'registry-backup');
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3.map((s) => s.Sid).sort()).toEqual(['RegistryDataList', 'RegistryDataWrite']);
    expect(s3.find((s) => s.Sid === 'RegistryDataList').Condition).toEqual({ StringLike: { 's3:prefix': ['registry-data/*'] } });
    expect(JSON.stringify(s3.find((s) => s.Sid === 'RegistryDataWrite').Resource)).toContain('/registry-data/*');
  });

  it('lets the drill reader only list and get objects under the prefix', () => {
    const statements = statementsOf(prod.template, prod.plan.drill.namespaces[1]!, 'registry-restore');
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(['kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(statements)).not.toContain('"s3:PutObject"');
  });
});

describe('BackupStorage with a bucket of its own for the registry-data copy', () => {
  let t: Template;
  beforeAll(() => {
    const { stack, cluster } = testCluster();
    new BackupStorage(stack, 'Backups', { ...baseProps(cluster), registryData: { bucketName: 'registry-copy', prefix: 'registry-data/' } });
    t = Template.fromStack(stack);
  }, SYNTH_TIMEOUT);

  it('hardens the second bucket the same way', () => {
    const copy = bucketNamed(t, 'registry-copy').props;
    expect(copy.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(copy.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(copy.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(copy.LifecycleConfiguration.Rules.every((r: any) => r.ExpirationInDays === undefined)).toBe(true);
  });

  it('keeps the Velero bucket expiry off the copy', () => {
    expect(bucketNamed(t, 'velero-bucket').props.LifecycleConfiguration.Rules.map((r: any) => r.Id)).toEqual(['expire-velero-backups', 'expire-velero-noncurrent', 'abort-incomplete-uploads']);
  });
});

describe('BackupStorage with Object Lock and a copy to another account', () => {
  const copy = { bucketName: 'harbor-backups-copy', region: 'eu-west-1', account: '333333333333', kmsKeyArn: 'arn:aws:kms:eu-west-1:333333333333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' };
  const build = (mode: 'GOVERNANCE' | 'COMPLIANCE') => {
    const { stack, cluster } = testCluster();
    new BackupStorage(stack, 'Backups', { ...baseProps(cluster), objectLock: { mode, days: 35 }, copy });
    return Template.fromStack(stack);
  };
  let t: Template;
  beforeAll(() => {
    t = build('COMPLIANCE');
  }, SYNTH_TIMEOUT);

  it('locks every new version for the configured days, in the configured mode', () => {
    const props = bucketNamed(t, 'velero-bucket').props;
    expect(props.ObjectLockEnabled).toBe(true);
    expect(props.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 35 } } });
    expect(bucketNamed(build('GOVERNANCE'), 'velero-bucket').props.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 35 });
  });

  it('replicates every version, KMS-encrypted objects included, to the other account, which owns the replicas; deletes are not replicated', () => {
    const replication = bucketNamed(t, 'velero-bucket').props.ReplicationConfiguration;
    expect(replication.Rules).toHaveLength(1);
    const rule = replication.Rules[0];
    expect(rule).toMatchObject({
      Status: 'Enabled',
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: { Account: copy.account, AccessControlTranslation: { Owner: 'Destination' }, EncryptionConfiguration: { ReplicaKmsKeyID: copy.kmsKeyArn } },
    });
    expect(JSON.stringify(rule.Destination.Bucket)).toContain(copy.bucketName);
  });

  it('grants no principal a bypass of the retention', () => {
    const policies = JSON.stringify([...Object.values(resourcesOf(t, 'AWS::IAM::Policy')), ...Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy'))]);
    expect(policies).not.toMatch(/BypassGovernanceRetention|PutObjectRetention|PutBucketObjectLockConfiguration|"s3:\*"[^}]*"Allow"/);
  });
});

function baseProps(cluster: BackupStorageProps['cluster']): BackupStorageProps {
  return {
    cluster,
    veleroBucketName: 'velero-bucket',
    veleroPrefix: 'velero/',
    scheduleTtls: ['168h'],
    velero: { namespace: 'velero', serviceAccount: 'velero-server' },
    registryData: { bucketName: 'velero-bucket', prefix: 'registry-data/' },
    registryWriter: { namespace: 'harbor', serviceAccount: 'registry-backup' },
    registryReader: { namespace: 'minio-drill', serviceAccount: 'registry-restore' },
  };
}

describe('BackupStorage props', () => {
  const make = (props: Partial<BackupStorageProps>) => () => {
    const { stack, cluster } = testCluster();
    return new BackupStorage(stack, 'Backups', { ...baseProps(cluster), ...props });
  };

  it('refuses a registry-data prefix inside Velero\'s prefix in the same bucket', () => {
    expect(make({ registryData: { bucketName: 'velero-bucket', prefix: 'velero/registry/' } })).toThrow(/registryData.prefix: "velero\/registry\/" overlaps veleroPrefix "velero\/" in the same bucket/);
  });

  it('refuses an empty Velero prefix when the copy shares the bucket', () => {
    expect(make({ veleroPrefix: '' })).toThrow(/veleroPrefix: empty while the registry-data copy shares the bucket/);
  });

  it('refuses a TTL that is not a duration', () => {
    expect(make({ scheduleTtls: ['30d'] })).toThrow(/scheduleTtls: "30d" is not a positive Velero duration: write it as "720h"/);
  });

  it('refuses a service account name Kubernetes would refuse', () => {
    expect(make({ velero: { namespace: 'velero', serviceAccount: 'Velero_Server' } })).toThrow(/PodIdentityRole: invalid props:\n {2}- serviceAccount: "Velero_Server" is not a Kubernetes name/);
  });
});

describe('backup expiry arithmetic', () => {
  it('reads Go durations in hours', () => {
    expect(durationHours('720h')).toBe(720);
    expect(durationHours('72h30m')).toBe(72.5);
    expect(durationHours('168h0m0s')).toBe(168);
    expect(durationHours('7d')).toBeUndefined();
  });

  it('rounds the longest TTL up to days and adds the margin', () => {
    expect(backupExpiryDays(['72h', '720h'], 7)).toBe(37);
    expect(backupExpiryDays(['25h'], 7)).toBe(9);
  });
});
