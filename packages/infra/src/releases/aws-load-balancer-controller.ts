import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Aws, Stack } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { PlatformCluster } from '../cluster/platform-cluster.js';
import type { PodIdentityRole } from '../cluster/pod-identity-role.js';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface AwsLoadBalancerControllerProps {
  readonly cluster: PlatformCluster;
  /**
   * Controller version; its IAM policy is the one aws-cdk-lib ships for it.
   * @default DEFAULTS.albController.version
   */
  readonly version?: eks.AlbControllerVersion;
  /**
   * Controller replicas (its webhook must answer for every Ingress and Service change).
   * @default DEFAULTS.albController.replicas
   */
  readonly replicas?: number;
}

/**
 * The AWS Load Balancer Controller as a Helm release with a Pod Identity role.
 * (aws-eks-v2's built-in `albController` option binds its role through IRSA.)
 */
export class AwsLoadBalancerController extends Construct {
  readonly chart: eks.HelmChart;
  readonly identity: PodIdentityRole;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const d = DEFAULTS.albController;
    const version = props.version ?? d.version;
    const replicas = props.replicas ?? d.replicas;
    new PropsCheck('AwsLoadBalancerController')
      .require(!version.custom, `version: "${version.version}" is a custom version: use one of eks.AlbControllerVersion's members, whose IAM policy aws-cdk-lib ships`)
      .require(Number.isInteger(replicas) && replicas >= 1, `replicas: ${replicas}: use a whole number of at least 1`)
      .throwIfAny();

    const cluster = props.cluster.cluster;
    this.identity = props.cluster.addPodIdentityRole('AlbControllerRole', {
      namespace: d.namespace,
      serviceAccount: d.serviceAccount,
      description: `AWS Load Balancer Controller ${version.version}`,
    });
    for (const statement of upstreamPolicy(version.version)) this.identity.role.addToPrincipalPolicy(statement);
    NagSuppressions.addResourceSuppressions(
      this.identity.role,
      [{ id: 'AwsSolutions-IAM5', reason: `The upstream AWS Load Balancer Controller ${version.version} policy: load balancers, target groups and rules are created at runtime, so their ARNs are wildcards scoped by the elbv2.k8s.aws/cluster tag conditions.` }],
      true,
    );

    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster,
      chart: d.chart,
      repository: d.repository,
      version: version.helmChartVersion,
      release: d.chart,
      namespace: d.namespace,
      wait: true,
      timeout: DEFAULTS.helm.timeout,
      values: {
        clusterName: cluster.clusterName,
        // Given explicitly: with IMDS limited to one hop the controller cannot discover them.
        region: Stack.of(this).region,
        vpcId: cluster.vpc.vpcId,
        replicaCount: replicas,
        serviceAccount: { create: true, name: d.serviceAccount },
      },
    });
    this.chart.node.addDependency(this.identity.association);
  }
}

/** The controller's IAM policy as aws-cdk-lib ships it, with the partition made portable. */
function upstreamPolicy(version: string): iam.PolicyStatement[] {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-eks-v2', 'lib', 'addons', `alb-iam_policy-${version}.json`);
  const policy = JSON.parse(readFileSync(file, 'utf8')) as { Statement: Record<string, unknown>[] };
  const portable = (r: unknown): unknown => (typeof r === 'string' ? r.replace(/^arn:aws:/, `arn:${Aws.PARTITION}:`) : r);
  return policy.Statement.map((s) =>
    iam.PolicyStatement.fromJson({ ...s, Resource: Array.isArray(s.Resource) ? s.Resource.map(portable) : portable(s.Resource) }),
  );
}
