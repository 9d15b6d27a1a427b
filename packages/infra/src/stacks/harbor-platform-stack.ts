import {
  externalDnsSettings,
  HARBOR_DATABASE_USER,
  HARBOR_SECRETS,
  harborChart,
  harborValues,
  SECRET_JSON_KEYS,
  SERVICE_ACCOUNTS,
  VELERO_BACKUP_PREFIX,
  veleroChart,
  veleroValues,
  type EnvironmentConfig,
  type EnvironmentPlan,
  type ExternalStoreOutput,
  type PlanNames,
  type PlatformStackOutput,
} from '@harbor-platform/config';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { generatedSecrets, referencedSecrets } from './secret-specs.js';
import { PlatformCluster } from '../cluster/platform-cluster.js';
import { HarborDatabase } from '../database/harbor-database.js';
import { HarborRedis } from '../database/harbor-redis.js';
import { ValidationError } from '../errors.js';
import { GithubVpcRunner } from '../github/github-vpc-runner.js';
import { WorkflowAccess } from '../github/workflow-access.js';
import { allowPullThroughCache, deployedImageRefs } from '../images/platform-image-repositories.js';
import type { IPlatformManifests } from '../manifests/manifest-sources.js';
import { PlatformNetwork } from '../network/platform-network.js';
import { AwsLoadBalancerController } from '../releases/aws-load-balancer-controller.js';
import { ExternalDns } from '../releases/external-dns.js';
import { ExternalSecretsOperator } from '../releases/external-secrets-operator.js';
import { PlatformWorkloads } from '../releases/platform-workloads.js';
import { PlatformSecrets } from '../secrets/platform-secrets.js';
import { TokenSigningKey } from '../secrets/token-signing-key.js';
import { BackupStorage } from '../storage/backup-storage.js';
import type { BackupCopy } from '../storage/bucket-protection.js';

export interface HarborPlatformStackProps extends StackProps {
  /** The environment's plan (`planEnvironment(config)`): names, node groups per AZ, NAT count, backups, drill, images. */
  readonly plan: EnvironmentPlan;
  /**
   * The validated environment (`loadEnvironmentFile`), for what the plan does not hold: the
   * cluster's version and admins, the secrets' names, the external database and Redis, the Helm values.
   */
  readonly config: EnvironmentConfig;
  /** The Kubernetes manifests of the environment (packages/manifests' charts, composed by the app). */
  readonly manifests: IPlatformManifests;
}

/** Output of the platform stack holding MinIO's deployed StatefulSets (a plan.json subset). */
export const DEPLOYED_MINIO_OUTPUT = 'DeployedMinioStatefulSets';

/**
 * One environment of the platform: network, EKS cluster, backup storage,
 * secrets, optional external database and Redis, the cluster add-ons and the
 * Harbor and Velero releases. Names come from `plan.names`; everything else is
 * read from the plan, and from the config where the plan holds no such field.
 */
export class HarborPlatformStack extends Stack {
  readonly network: PlatformNetwork;
  readonly cluster: PlatformCluster;
  readonly secrets: PlatformSecrets;
  readonly tokenSigningKey: TokenSigningKey;
  readonly backups: BackupStorage;
  readonly database?: HarborDatabase;
  readonly redis?: HarborRedis;
  readonly workloads: PlatformWorkloads;
  readonly externalDns: ExternalDns;
  readonly workflowAccess: WorkflowAccess;
  /** CodeBuild-hosted GitHub Actions runners in the private subnets (smoke, drift, drill, restore). */
  readonly runner: GithubVpcRunner;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: HarborPlatformStackProps) {
    const { config, plan } = props;
    const { names } = plan;
    super(scope, id, {
      description: `Harbor platform, environment ${plan.environment}`,
      ...props,
      env: props.env ?? { account: plan.aws.account, region: plan.aws.region },
    });
    this.zones = [...plan.aws.availabilityZones];

    this.network = new PlatformNetwork(this, 'Network', {
      availabilityZones: plan.aws.availabilityZones,
      vpcCidr: plan.network.vpcCidr,
      natGateways: plan.network.natGateways,
    });
    this.cluster = new PlatformCluster(this, 'Cluster', {
      network: this.network,
      clusterName: names.cluster,
      kubernetesVersion: config.cluster.kubernetesVersion,
      nodeGroups: plan.nodeGroups,
      adminRoleArns: config.cluster.adminRoleArns,
      endpointPublicAccess: config.cluster.endpointPublicAccess,
    });
    // Nodes pull the Harbor and Velero images through the environment's Docker Hub cache (GithubDeployStack creates the rule).
    allowPullThroughCache(this.cluster.nodeRole, plan.images);
    const eksCluster = this.cluster.cluster;
    const nodes = eksCluster.clusterSecurityGroup;
    // The cluster-facing jobs' runners: the API endpoint is private unless cluster.endpointPublicAccess.
    this.runner = new GithubVpcRunner(this, 'GithubRunner', {
      owner: plan.github.owner,
      repo: plan.github.repo,
      projectName: names.runnerProject,
      vpc: this.network.vpc,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      controlPlaneSecurityGroup: this.cluster.controlPlaneSecurityGroup,
    });

    this.secrets = new PlatformSecrets(this, 'Secrets', { generated: generatedSecrets(config), referenced: referencedSecrets(config) });
    this.tokenSigningKey = new TokenSigningKey(this, 'TokenSigningKey', {
      secretName: config.harbor.tokenSigningSecret,
      fields: SECRET_JSON_KEYS.tokenSigning,
      encryptionKey: this.secrets.key,
    });
    const db = config.harbor.database;
    if (db.type === 'external') {
      this.database = new HarborDatabase(this, 'Database', {
        vpc: this.network.vpc,
        clientSecurityGroup: nodes,
        instanceClass: db.instanceClass,
        engineVersion: db.engineVersion,
        multiAz: db.multiAz,
        allocatedStorageGiB: db.allocatedStorageGiB,
        databaseName: db.databaseName,
        username: HARBOR_DATABASE_USER,
        credentialsSecretName: db.credentialsSecret,
      });
    }
    const redis = config.harbor.redis;
    if (redis.type === 'external') {
      this.redis = new HarborRedis(this, 'Redis', {
        vpc: this.network.vpc,
        clientSecurityGroup: nodes,
        nodeType: redis.nodeType,
        multiAz: redis.multiAz,
        authTokenSecretName: redis.authTokenSecret,
        authTokenKey: SECRET_JSON_KEYS.redis.authToken,
      });
    }

    this.backups = new BackupStorage(this, 'Backups', {
      cluster: this.cluster,
      veleroBucketName: plan.backups.velero.bucket,
      veleroPrefix: `${VELERO_BACKUP_PREFIX}/`,
      scheduleTtls: plan.backups.velero.schedules.map((s) => s.ttl),
      velero: { namespace: names.namespaces.velero, serviceAccount: SERVICE_ACCOUNTS.velero },
      registryData: { bucketName: plan.backups.registryData.bucket, prefix: plan.backups.registryData.prefix },
      registryWriter: { namespace: names.namespaces.harbor, serviceAccount: SERVICE_ACCOUNTS.registryBackup },
      registryReader: { namespace: names.namespaces.drill.minio, serviceAccount: SERVICE_ACCOUNTS.registryRestore },
      objectLock: plan.backups.objectLock,
      copy: backupCopy(plan.backups.copy),
    });

    const alb = new AwsLoadBalancerController(this, 'AlbController', { cluster: this.cluster });
    const eso = new ExternalSecretsOperator(this, 'ExternalSecrets', {
      cluster: this.cluster,
      secrets: [
        ...Object.values(this.secrets.secrets),
        this.tokenSigningKey.secret,
        ...(this.database ? [this.database.instance.secret!] : []),
        ...(this.redis ? [this.redis.authToken] : []),
      ],
    });

    // The operator (and so every synced Secret) starts after the token signing key is in place.
    eso.node.addDependency(this.tokenSigningKey.filled);

    const harborEndpoints = {
      databaseHost: this.database?.instance.dbInstanceEndpointAddress,
      databasePort: this.database?.instance.dbInstanceEndpointPort,
      redisAddress: this.redis?.address,
      loadBalancerSecurityGroupId: this.network.loadBalancerSecurityGroup.securityGroupId,
    };
    // Built images by the digest the deploy job's build step wrote to SSM just before this deploy.
    const charts = props.manifests.workloads(deployedImageRefs(this, plan.images));
    this.workloads = new PlatformWorkloads(this, 'Workloads', {
      cluster: this.cluster,
      charts,
      harbor: {
        chart: harborChart(config),
        release: names.releases.harbor,
        namespace: names.namespaces.harbor,
        values: harborValues(config, plan, harborEndpoints),
      },
      velero: { chart: veleroChart(config), release: names.releases.velero, namespace: names.namespaces.velero, values: veleroValues(config) },
      // An external Redis always has its token's secret (the schema requires harbor.redis.authTokenSecret): Harbor's chart reads it at render time.
      renderTimeSecret: plan.harbor.redis === 'external' ? HARBOR_SECRETS.redis : undefined,
      loadBalancerController: alb,
      externalSecrets: eso,
      veleroRole: this.backups.veleroRole,
      registryBackupRole: this.backups.registryWriterRole,
    });

    const namespaces = this.workloads.namespaces;
    // Points Harbor's hostname at the load balancer of Harbor's Ingress (its Role lives in Harbor's namespace).
    this.externalDns = new ExternalDns(this, 'ExternalDns', { cluster: this.cluster, ...externalDnsSettings(config, plan), after: [namespaces] });

    // Last: the operations role's drift reads cover every resource type defined above.
    this.workflowAccess = new WorkflowAccess(this, 'WorkflowAccess', {
      cluster: this.cluster.cluster,
      backups: this.backups,
      names,
      namespaces,
      // The workload charts: what dist/<env>/manifests holds.
      diffObjects: charts.inOrder.flatMap((c) => c.toJson()),
      charts: props.manifests,
    });

    this.addOutputs(names.exports.platform);
    // What `plan --previous` compares with before the next deploy (the deploy job reads it from
    // the deployed stack): MinIO's StatefulSets as deployed, whose claim templates and server
    // counts cannot change in place. No export: nothing else may depend on it.
    const { storageClass, statefulSetRevision, statefulSets } = plan.minio;
    new CfnOutput(this, DEPLOYED_MINIO_OUTPUT, {
      value: JSON.stringify({ minio: { storageClass, statefulSetRevision, statefulSets } }),
      description: "MinIO's StatefulSets as deployed (plan.json's minio.storageClass, statefulSetRevision and statefulSets), for plan --previous",
    });
  }

  /** The config's zones: the default would look them up in the account (a context lookup needs credentials). */
  override get availabilityZones(): string[] {
    return this.zones;
  }

  /** The outputs, each exported under the name `plan.names.exports.platform` gives it. */
  private addOutputs(exportNames: PlanNames['exports']['platform']): void {
    const out = (id: PlatformStackOutput | ExternalStoreOutput, value: string, description: string) => {
      const exportName = exportNames[id];
      if (!exportName) throw new ValidationError(`plan.names.exports.platform.${id}: missing for an output this stack has: pass the plan planEnvironment made of this config`, this);
      new CfnOutput(this, id, { value, description, exportName });
    };
    out('ClusterName', this.cluster.cluster.clusterName, 'EKS cluster name (aws eks update-kubeconfig --name)');
    out('VpcId', this.network.vpc.vpcId, 'VPC of the platform');
    out('GithubRunnerProject', this.runner.project.projectName, 'CodeBuild project of the GitHub Actions runners in the VPC (runs-on: codebuild-<project>-<run id>-<run attempt>)');
    out('BackupBucketName', this.backups.veleroBucket.bucketName, "Velero's backup bucket");
    out('RegistryBackupBucketName', this.backups.registryBucket.bucketName, 'Bucket of the registry-data copy');
    out('VeleroRoleArn', this.backups.veleroRole.role.roleArn, 'Pod Identity role of the Velero server');
    out('RegistryBackupWriterRoleArn', this.backups.registryWriterRole.role.roleArn, 'Pod Identity role of the registry-data backup job');
    out('RegistryBackupReaderRoleArn', this.backups.registryReaderRole.role.roleArn, 'Pod Identity role of the restore drill reader');
    if (this.database) out('DatabaseEndpoint', this.database.instance.dbInstanceEndpointAddress, 'Harbor PostgreSQL (RDS) endpoint');
    if (this.redis) out('RedisAddress', this.redis.address, 'Harbor Redis (ElastiCache) primary endpoint host:port');
  }
}

/** The plan's backup copy as BackupStorage takes it. */
function backupCopy(copy: EnvironmentPlan['backups']['copy']): BackupCopy | undefined {
  return copy && { bucketName: copy.bucket, region: copy.region, account: copy.account, kmsKeyArn: copy.kmsKeyArn };
}
