import { stackSecrets } from '@harbor-platform/config';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testStack, type SynthesizedEnvironment } from './util.js';
import { HarborDatabase, HarborRedis, type HarborDatabaseProps } from '../src/index.js';

describe('Harbor external database and Redis', () => {
  let dev: SynthesizedEnvironment;
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    dev = synthesizeEnvironment('dev');
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  it('runs RDS Multi-AZ in prod only: dev keeps the internal database and Redis', () => {
    prod.template.resourceCountIs('AWS::RDS::DBInstance', 1);
    prod.template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
    dev.template.resourceCountIs('AWS::RDS::DBInstance', 0);
    dev.template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
  });

  it("creates the external database's and Redis' secrets among those config's stackSecrets lists (preflight's leftover check)", () => {
    const all = Object.values(resourcesOf(prod.template, 'AWS::SecretsManager::Secret')).map((s) => s.Properties.Name);
    expect(all.sort()).toEqual(stackSecrets(prod.config).map((s) => s.secretName).sort());
    expect(stackSecrets(prod.config).map((s) => s.field)).toEqual(expect.arrayContaining(['harbor.database.credentialsSecret', 'harbor.redis.authTokenSecret']));
  });

  it('builds the instance from the config, encrypted, with deletion protection', () => {
    const db = prod.config.harbor.database;
    if (db.type !== 'external') throw new Error('prod has an external database');
    prod.template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: db.engineVersion,
      DBInstanceClass: db.instanceClass,
      AllocatedStorage: String(db.allocatedStorageGiB),
      DBName: db.databaseName,
      StorageEncrypted: true,
      StorageType: 'gp3',
      DeletionProtection: true,
    });
  });

  it('keeps the database in private subnets', () => {
    const group = Object.values(resourcesOf(prod.template, 'AWS::RDS::DBSubnetGroup'))[0]!.Properties;
    const subnets = resourcesOf(prod.template, 'AWS::EC2::Subnet');
    for (const s of group.SubnetIds) expect(subnets[refId(s)!]!.Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Private' });
  });

  it('states the PostgreSQL major alone and lets RDS apply minor upgrades, so no template names a retired minor', () => {
    const db = prod.config.harbor.database;
    if (db.type !== 'external') throw new Error('prod has an external database');
    const instance = Object.values(resourcesOf(prod.template, 'AWS::RDS::DBInstance'))[0]!.Properties;
    expect(instance.EngineVersion).toMatch(/^\d+$/);
    expect(instance.EngineVersion).toBe(db.engineVersion);
    expect(instance.AutoMinorVersionUpgrade).toBe(true);
    // The parameter group is the major's family, so a minor upgrade keeps it.
    prod.template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: `postgres${db.engineVersion}` });
  });

  it('enforces TLS on the database', () => {
    prod.template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
  });

  it('generates the database credentials under the configured name and passes them as a dynamic reference', () => {
    const db = prod.config.harbor.database;
    if (db.type !== 'external') throw new Error('prod has an external database');
    prod.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: db.credentialsSecret, GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password', SecretStringTemplate: '{"username":"harbor"}' }) });
    const instance = Object.values(resourcesOf(prod.template, 'AWS::RDS::DBInstance'))[0]!.Properties;
    expect(JSON.stringify(instance.MasterUserPassword)).toMatch(/\{\{resolve:secretsmanager:/);
  });

  it('runs Redis Multi-AZ with encryption at rest and in transit, AUTH token from Secrets Manager', () => {
    prod.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      NumCacheClusters: 2,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      AuthToken: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['{{resolve:secretsmanager:', ':SecretString:authToken::}}'])]) }),
    });
  });

  it('lets only the cluster reach the database and Redis', () => {
    const clusterSg = (v: any) => v?.['Fn::GetAtt']?.[1] === 'ClusterSecurityGroupId';
    const ingress = Object.values(resourcesOf(prod.template, 'AWS::EC2::SecurityGroupIngress')).map((i) => i.Properties).filter((i) => [5432, 6379].includes(i.FromPort));
    expect(ingress.map((i) => i.FromPort).sort()).toEqual([5432, 6379]);
    for (const i of ingress) {
      expect(clusterSg(i.SourceSecurityGroupId)).toBe(true);
      expect(i.CidrIp).toBeUndefined();
    }
  });
});

describe('HarborDatabase and HarborRedis props', () => {
  const base = (): HarborDatabaseProps => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: stack.availabilityZones });
    return {
      vpc,
      clientSecurityGroup: new ec2.SecurityGroup(stack, 'Nodes', { vpc }),
      instanceClass: 'db.r6g.large',
      engineVersion: '16',
      multiAz: true,
      allocatedStorageGiB: 100,
      databaseName: 'registry',
      username: 'harbor',
      credentialsSecretName: 'x/db',
    };
  };

  it('refuses an instance class without the db. prefix', () => {
    const props = base();
    expect(() => new HarborDatabase(props.vpc.node.scope!, 'Db', { ...props, instanceClass: 'r6g.large' })).toThrow(/instanceClass: "r6g.large" is not an RDS instance class: use a name such as "db.r6g.large"/);
  });

  it('refuses a PostgreSQL major RDS no longer runs', () => {
    const props = base();
    expect(() => new HarborDatabase(props.vpc.node.scope!, 'Db', { ...props, engineVersion: '11' })).toThrow(/engineVersion: "11": Harbor needs PostgreSQL 13 or later/);
  });

  it('refuses a pinned minor, naming the major to write instead', () => {
    const props = base();
    expect(() => new HarborDatabase(props.vpc.node.scope!, 'Db', { ...props, engineVersion: '16.4' })).toThrow(/engineVersion: "16.4" is not a PostgreSQL major version: write the major alone, such as "16"/);
  });

  it('refuses too little storage', () => {
    const props = base();
    expect(() => new HarborDatabase(props.vpc.node.scope!, 'Db', { ...props, allocatedStorageGiB: 5 })).toThrow(/allocatedStorageGiB: 5: use 20 to 65536/);
  });

  it('refuses a Redis node type without the cache. prefix', () => {
    const props = base();
    expect(() => new HarborRedis(props.vpc.node.scope!, 'Redis', { ...props, nodeType: 'r7g.large', authTokenSecretName: 'x/r', authTokenKey: 'authToken' })).toThrow(
      /HarborRedis: invalid props:\n {2}- nodeType: "r7g.large" is not an ElastiCache node type/,
    );
  });
});
