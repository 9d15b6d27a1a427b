import { CfnResource, Stack } from 'aws-cdk-lib/core';
import { ValidationError } from '../errors.js';

/**
 * What CloudFormation drift detection needs besides its own API: it reads each
 * resource's live configuration with the caller's credentials ("read permission
 * for each resource that supports drift detection"), so a role that may only call
 * DetectStackDrift sees every resource fail as NOT_CHECKED. Per CloudFormation
 * service, the configuration reads of its resource types, and never a data read
 * (no s3:GetObject, secretsmanager:GetSecretValue, kms:Decrypt, ssm:GetParameter):
 * drift compares settings, not contents.
 */
export const DRIFT_READ_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  CodeBuild: ['codebuild:BatchGetProjects'],
  EC2: ['ec2:Describe*'],
  ECR: ['ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource', 'ecr:DescribePullThroughCacheRules'],
  EKS: ['eks:DescribeCluster', 'eks:DescribeNodegroup', 'eks:DescribeAddon', 'eks:DescribeAccessEntry', 'eks:DescribePodIdentityAssociation', 'eks:ListAssociatedAccessPolicies', 'eks:ListTagsForResource'],
  ElastiCache: ['elasticache:DescribeReplicationGroups', 'elasticache:DescribeCacheClusters', 'elasticache:DescribeCacheSubnetGroups', 'elasticache:ListTagsForResource'],
  IAM: [
    'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListRoleTags',
    'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviderTags',
  ],
  KMS: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
  Lambda: ['lambda:GetFunctionConfiguration', 'lambda:GetLayerVersion', 'lambda:ListTags'],
  Logs: ['logs:DescribeLogGroups', 'logs:ListTagsForResource'],
  RDS: ['rds:DescribeDBInstances', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:DescribeDBSubnetGroups', 'rds:ListTagsForResource'],
  S3: [
    's3:GetBucketPolicy', 's3:GetBucketVersioning', 's3:GetBucketLogging', 's3:GetBucketTagging', 's3:GetBucketPublicAccessBlock',
    's3:GetBucketOwnershipControls', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration',
  ],
  SSM: ['ssm:DescribeParameters', 'ssm:ListTagsForResource'],
  SecretsManager: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'],
};

/** Resource types drift detection does not check (custom resources, CDK metadata): nothing to read. */
const UNCHECKED = /^(Custom::|AWS::CloudFormation::CustomResource$|AWS::CDK::Metadata$)/;

/**
 * The configuration reads drift detection needs for every resource type in `stack`,
 * sorted. Throws for a service the table does not know, so a new kind of resource
 * cannot silently leave drift detection blind.
 */
export function driftReadActions(stack: Stack): string[] {
  const actions = new Set<string>();
  for (const type of resourceTypes(stack)) {
    if (UNCHECKED.test(type)) continue;
    const service = /^AWS::([A-Za-z0-9]+)::/.exec(type)?.[1];
    const reads = service ? DRIFT_READ_ACTIONS[service] : undefined;
    if (!reads) throw new ValidationError(`${stack.stackName}: no drift-detection read actions for ${type}: add its service to DRIFT_READ_ACTIONS (packages/infra/src/github/drift-read-actions.ts)`, stack);
    for (const a of reads) actions.add(a);
  }
  return [...actions].sort();
}

/** CloudFormation types of the resources defined in `stack` (not in nested stacks). */
export function resourceTypes(stack: Stack): string[] {
  const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
  const types = resources.map((r) => r.cfnResourceType);
  return [...new Set(types)].sort();
}
