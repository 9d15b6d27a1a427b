import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, Stack } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface GithubVpcRunnerProps {
  /** GitHub owner (organization or user) of the repository whose jobs the runners take. */
  readonly owner: string;
  /** Repository name. */
  readonly repo: string;
  /**
   * The CodeBuild project's name (plan.github.runner.projectName): the workflows' `runs-on`
   * label `codebuild-<projectName>-<run id>-<run attempt>` names it.
   */
  readonly projectName: string;
  /** The VPC the runners start in. */
  readonly vpc: ec2.IVpc;
  /** Where in the VPC: private subnets, so traffic to the internet leaves through the NAT gateways. */
  readonly subnets: ec2.SubnetSelection;
  /**
   * The security group of the cluster's control-plane ENIs (PlatformCluster.controlPlaneSecurityGroup):
   * it accepts HTTPS (443) from the runners. Nodes and pods do not carry it, so nothing else is opened.
   */
  readonly controlPlaneSecurityGroup: ec2.ISecurityGroup;
  /**
   * Compute of one runner.
   * @default DEFAULTS.githubRunner.computeType
   */
  readonly computeType?: codebuild.ComputeType;
  /**
   * How long the runners' logs are kept.
   * @default DEFAULTS.githubRunner.logRetention
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * CodeBuild-hosted GitHub Actions runners inside the VPC, for the jobs that reach the
 * cluster's private Kubernetes API (smoke, drift, the restore drill, restore). The project's
 * webhook starts one build, which registers one ephemeral runner, per queued workflow job
 * whose `runs-on` label names the project; the runner takes that job and ends with it.
 *
 * The runner holds no AWS access of its own beyond its logs and its network interfaces: each
 * job assumes the environment's GitHub role through OIDC (id-token works on self-hosted
 * runners), so a job gets exactly what it got on a GitHub-hosted runner. Its security group
 * sends HTTPS only (GitHub, the npm registry, AWS APIs, the API endpoint); the cluster's
 * control plane accepts it on 443 only.
 *
 * CodeBuild needs a GitHub source credential in the account and region before the project can
 * be created (`aws codebuild list-source-credentials` lists it): the README's First deploy.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/vpc-support.html
 */
export class GithubVpcRunner extends Construct {
  readonly project: codebuild.Project;
  readonly securityGroup: ec2.SecurityGroup;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GithubVpcRunnerProps) {
    super(scope, id);
    validate(props);
    const stack = Stack.of(this);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `GitHub Actions runners of ${props.projectName}: HTTPS out only`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS: GitHub, npm, AWS APIs, the Kubernetes API');
    // The ingress rule on the control plane's group (and the matching egress rule on the runners').
    props.controlPlaneSecurityGroup.connections.allowFrom(this.securityGroup, ec2.Port.tcp(443), 'Kubernetes API from the VPC runners');

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? DEFAULTS.githubRunner.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role CodeBuild's own grants cannot widen (withoutPolicyUpdates below): logs and ENIs only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `GitHub Actions runners of ${props.projectName}: their logs and network interfaces, nothing else`,
    });
    const subnetArns = props.vpc
      .selectSubnets(props.subnets)
      .subnetIds.map((subnetId) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: subnetId }));
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'Logs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        // CodeBuild's VPC support: it creates, reads and deletes the build's network interface with the project's role.
        new iam.PolicyStatement({
          sid: 'VpcNetworkInterfaces',
          actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions', 'ec2:DescribeVpcs'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'VpcNetworkInterfacePermission',
          actions: ['ec2:CreateNetworkInterfacePermission'],
          resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })],
          conditions: { 'StringEquals': { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' }, 'ForAnyValue:StringEquals': { 'ec2:Subnet': subnetArns } },
        }),
      ],
    });
    this.role.attachInlinePolicy(policy);

    this.project = new codebuild.Project(this, 'Project', {
      projectName: props.projectName,
      description: `GitHub Actions runners for ${props.owner}/${props.repo} in the VPC (jobs labelled codebuild-${props.projectName}-<run id>-<run attempt>)`,
      source: codebuild.Source.gitHub({
        owner: props.owner,
        repo: props.repo,
        webhook: true,
        // Queued workflow jobs only: never a push or a pull request, which would build the repository itself.
        webhookFilters: [codebuild.FilterGroup.inEventOf(codebuild.EventAction.WORKFLOW_JOB_QUEUED)],
        reportBuildStatus: false,
      }),
      environment: {
        buildImage: DEFAULTS.githubRunner.buildImage,
        computeType: props.computeType ?? DEFAULTS.githubRunner.computeType,
        privileged: false,
      },
      vpc: props.vpc,
      subnetSelection: props.subnets,
      securityGroups: [this.securityGroup],
      role: this.role.withoutPolicyUpdates(),
      logging: { cloudWatch: { logGroup: this.logGroup } },
      // The longest job it runs (restore, 240 min) plus the runner's start and end.
      timeout: DEFAULTS.githubRunner.timeout,
      // Each build is one job of one workflow run; none waits in a queue longer than GitHub keeps a job queued.
      queuedTimeout: DEFAULTS.githubRunner.queuedTimeout,
    });
    // CodeBuild checks the role's VPC permissions when it creates the project.
    this.project.node.addDependency(policy);

    NagSuppressions.addResourceSuppressions(policy, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "CodeBuild's documented VPC permissions: the EC2 Describe calls take no resource, and Create/DeleteNetworkInterface act on the build's interface whose ID does not exist before the build; CreateNetworkInterfacePermission is held to CodeBuild in the runner subnets.",
        appliesTo: ['Resource::*', { regex: '/^Resource::arn:[^:]+:ec2:[^:]+:[^:]+:network-interface/\\*$/' }],
      },
    ]);
    // The project's own copy of the VPC statements: attached to nothing (the role takes no policy
    // from the project), so it is never rendered; the runner's policy above carries them.
    NagSuppressions.addResourceSuppressions(
      this.project.node.findChild('PolicyDocument'),
      [{ id: 'AwsSolutions-IAM5', reason: "Not rendered: CodeBuild's default copy of the VPC statements is attached to no role, because the runner's role takes no policy from the project; the runner's own policy carries those statements." }],
      true,
    );
    NagSuppressions.addResourceSuppressions(this.project, [
      {
        id: 'AwsSolutions-CB4',
        reason: 'The runner project has no artifacts and no cache, so CodeBuild stores nothing it would encrypt with a project key; job output goes to the log group and to GitHub.',
      },
    ]);
  }
}

function validate(props: GithubVpcRunnerProps): void {
  const check = new PropsCheck('GithubVpcRunner');
  // CodeBuild's project name pattern.
  check.require(/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/.test(props.projectName), `projectName: "${props.projectName}" is not a CodeBuild project name: use 2 to 255 letters, digits, - and _, starting with a letter or digit`);
  check.require(props.owner.length > 0 && props.repo.length > 0, `owner/repo: "${props.owner}/${props.repo}" does not name a repository: set github.owner and github.repo`);
  check.throwIfAny();
}
