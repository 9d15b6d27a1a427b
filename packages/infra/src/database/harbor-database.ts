import { POSTGRES_IDENTIFIER, SECRETS_MANAGER_NAME } from '@harbor-platform/config';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface HarborDatabaseProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the cluster's nodes: the only one allowed to connect. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /** RDS instance class, such as "db.r6g.large". */
  readonly instanceClass: string;
  /**
   * PostgreSQL major version, such as "16". The template states the major alone: RDS creates the
   * default minor it offers for it, and minor upgrades run in the maintenance window
   * (`autoMinorVersionUpgrade`), so the template never names a minor AWS has stopped offering.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.Minor.html
   */
  readonly engineVersion: string;
  /** A standby in a second AZ with automatic failover. */
  readonly multiAz: boolean;
  /** Storage (GiB, gp3). */
  readonly allocatedStorageGiB: number;
  /** Database Harbor's core uses. */
  readonly databaseName: string;
  /** Secrets Manager name of the generated credentials (Harbor's ExternalSecret reads it by this name). */
  readonly credentialsSecretName: string;
  /** Master user name, the one Harbor's values connect as (its password is generated into the credentials secret). */
  readonly username: string;
  /**
   * Automated backup retention.
   * @default DEFAULTS.database.backupRetention (7 days)
   */
  readonly backupRetention?: Duration;
}

/**
 * Harbor's external PostgreSQL on RDS, in private subnets, reachable only from
 * the nodes, storage and credentials encrypted with a KMS key, TLS enforced.
 */
export class HarborDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: HarborDatabaseProps) {
    super(scope, id);
    validate(props);
    // Major alone as the full version too: the parameter group family is postgres<major>.
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(props.engineVersion, props.engineVersion) });

    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Harbor database storage and credentials' });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', { engine, parameters: { 'rds.force_ssl': '1' } });
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceType: new ec2.InstanceType(props.instanceClass.replace(/^db\./, '')),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      multiAz: props.multiAz,
      port: DEFAULTS.database.port,
      allocatedStorage: props.allocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      databaseName: props.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret(props.username, {
        secretName: props.credentialsSecretName,
        encryptionKey: this.key,
        excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
      }),
      parameterGroup,
      backupRetention: props.backupRetention ?? DEFAULTS.database.backupRetention,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      // With a major-only EngineVersion, this is what keeps the minor one AWS still offers.
      autoMinorVersionUpgrade: true,
    });
    this.instance.connections.allowFrom(props.clientSecurityGroup, ec2.Port.tcp(DEFAULTS.database.port), 'Harbor core and jobservice');

    NagSuppressions.addResourceSuppressions(this.instance, [
      { id: 'AwsSolutions-RDS11', reason: "PostgreSQL's standard port: the instance is reachable only from the cluster's security group, so a non-default port would hide nothing." },
      { id: 'AwsSolutions-IAM4', reason: 'The enhanced-monitoring role uses the AWS-managed AmazonRDSEnhancedMonitoringRole policy.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole'] },
    ], true);
    NagSuppressions.addResourceSuppressions(this.instance, [
      { id: 'AwsSolutions-SMG4', reason: "Harbor reads the database password at start-up (via External Secrets); rotation needs Harbor's pods restarted together, a runbook step rather than an unattended Lambda." },
    ], true);
    if (!props.multiAz) {
      NagSuppressions.addResourceSuppressions(this.instance, [
        { id: 'AwsSolutions-RDS3', reason: 'The environment config chose a single-AZ database (harbor.database.multiAz: false); prod requires Multi-AZ.' },
      ]);
    }
  }
}

function validate(props: HarborDatabaseProps): void {
  new PropsCheck('HarborDatabase')
    .require(/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(props.instanceClass), `instanceClass: "${props.instanceClass}" is not an RDS instance class: use a name such as "db.r6g.large"`)
    .require(SECRETS_MANAGER_NAME.test(props.credentialsSecretName), `credentialsSecretName: "${props.credentialsSecretName}" is not a Secrets Manager name: use 1-512 letters, digits and /_+=.@-`)
    .require(
      /^\d+$/.test(props.engineVersion),
      `engineVersion: "${props.engineVersion}" is not a PostgreSQL major version: write the major alone, such as "16" (RDS picks the minor and autoMinorVersionUpgrade keeps it one AWS offers)`,
    )
    .require(Number(props.engineVersion.split('.')[0]) >= 13, `engineVersion: "${props.engineVersion}": Harbor needs PostgreSQL 13 or later on RDS (older majors are out of RDS support)`)
    .require(Number.isInteger(props.allocatedStorageGiB) && props.allocatedStorageGiB >= 20 && props.allocatedStorageGiB <= 65536, `allocatedStorageGiB: ${props.allocatedStorageGiB}: use 20 to 65536`)
    .require(POSTGRES_IDENTIFIER.test(props.username), `username: "${props.username}" is not a PostgreSQL user name: lower-case letters, digits and underscores`)
    .require(POSTGRES_IDENTIFIER.test(props.databaseName), `databaseName: "${props.databaseName}" is not a PostgreSQL database name: lower-case letters, digits and underscores`)
    .throwIfAny();
}
