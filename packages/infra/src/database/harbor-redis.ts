import { PLAIN_JSON_KEY, SECRETS_MANAGER_NAME } from '@harbor-platform/config';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RemovalPolicy } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface HarborRedisProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the cluster's nodes: the only one allowed to connect. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /** ElastiCache node type, such as "cache.r7g.large". */
  readonly nodeType: string;
  /** A replica in another AZ with automatic failover. */
  readonly multiAz: boolean;
  /** Secrets Manager name of the generated AUTH token (Harbor's ExternalSecret reads it by this name). */
  readonly authTokenSecretName: string;
  /** JSON key of the token in that secret. */
  readonly authTokenKey: string;
  /**
   * Engine version.
   * @default DEFAULTS.redis.engineVersion
   */
  readonly engineVersion?: string;
}

/**
 * Harbor's external Redis on ElastiCache: private subnets, reachable only from
 * the nodes, encrypted at rest (KMS) and in transit, AUTH token generated in
 * Secrets Manager and passed to CloudFormation as a dynamic reference (the
 * template carries `{{resolve:secretsmanager:...}}`, never the value).
 */
export class HarborRedis extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly authToken: secretsmanager.Secret;
  readonly key: kms.Key;
  /** `host:port` of the primary endpoint. */
  readonly address: string;

  constructor(scope: Construct, id: string, props: HarborRedisProps) {
    super(scope, id);
    new PropsCheck('HarborRedis')
      .require(/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(props.nodeType), `nodeType: "${props.nodeType}" is not an ElastiCache node type: use a name such as "cache.r7g.large"`)
      .require(SECRETS_MANAGER_NAME.test(props.authTokenSecretName), `authTokenSecretName: "${props.authTokenSecretName}" is not a Secrets Manager name: use 1-512 letters, digits and /_+=.@-`)
      .require(PLAIN_JSON_KEY.test(props.authTokenKey), `authTokenKey: "${props.authTokenKey}" is not a plain JSON key: use letters, digits and underscores`)
      .throwIfAny();
    const vpc = props.vpc;

    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Harbor Redis at rest and its auth token' });
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      secretName: props.authTokenSecretName,
      description: 'Harbor Redis (ElastiCache) AUTH token',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // ElastiCache tokens: 16-128 printable characters without @, " or /.
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: props.authTokenKey, passwordLength: 64, excludePunctuation: true },
    });
    NagSuppressions.addResourceSuppressions(this.authToken, [
      { id: 'AwsSolutions-SMG4', reason: 'ElastiCache AUTH token rotation is a two-step ROTATE/SET on the replication group with Harbor restarted in between: a runbook step, not an unattended Lambda.' },
    ]);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: 'Harbor Redis', allowAllOutbound: false });
    this.securityGroup.addIngressRule(props.clientSecurityGroup, ec2.Port.tcp(DEFAULTS.redis.port), 'Harbor core, jobservice and registry');
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Harbor Redis private subnets',
      subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
    });
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'Harbor Redis',
      engine: DEFAULTS.redis.engine,
      engineVersion: props.engineVersion ?? DEFAULTS.redis.engineVersion,
      cacheNodeType: props.nodeType,
      numCacheClusters: props.multiAz ? 2 : 1,
      multiAzEnabled: props.multiAz,
      automaticFailoverEnabled: props.multiAz,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      port: DEFAULTS.redis.port,
      atRestEncryptionEnabled: true,
      kmsKeyId: this.key.keyId,
      transitEncryptionEnabled: true,
      authToken: this.authToken.secretValueFromJson(props.authTokenKey).unsafeUnwrap(),
      snapshotRetentionLimit: 1,
    });
    this.replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    this.address = `${this.replicationGroup.attrPrimaryEndPointAddress}:${this.replicationGroup.attrPrimaryEndPointPort}`;
    NagSuppressions.addResourceSuppressions(this.replicationGroup, [
      { id: 'AwsSolutions-AEC5', reason: "Redis's standard port: the group is reachable only from the cluster's security group, so a non-default port would hide nothing." },
      ...(props.multiAz
        ? []
        : [{ id: 'AwsSolutions-AEC3', reason: 'The environment config chose a single-node Redis (harbor.redis.multiAz: false); prod requires Multi-AZ.' }]),
    ]);
  }
}
