import { CLOUDFORMATION_STACK_NAME, EKS_CLUSTER_NAME, GITHUB_OWNER, GITHUB_REPO, IAM_ROLE_NAME } from '@harbor-platform/config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Duration, Stack } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { githubPrincipal, isExactEnvironment, isPinnedSubject } from './github-oidc.js';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface GithubOperationsRoleProps {
  /** GitHub owner (organization or user) of the repository. */
  readonly owner: string;
  /** Repository name. */
  readonly repo: string;
  /**
   * The GitHub environment whose jobs may assume the role: one without required
   * reviewers (plan.github.operationsEnvironment), so nightly jobs never wait.
   */
  readonly environment: string;
  /**
   * The `sub` claims trusted: each one workflow on one ref in `environment`
   * (plan.github.<role>.subjects). A subject without workflow and ref is refused.
   */
  readonly subjects: readonly string[];
  /** Name of the IAM role (plan.github.operationsRole.name): workflows build its ARN from the plan. */
  readonly roleName: string;
  /** The account's GitHub OIDC provider (the deploy role's, in the same stack). */
  readonly provider: iam.IOidcProvider;
  /** The environment's CloudFormation stacks, by name: drift inspects these and no other. */
  readonly stackNames: string[];
  /** The environment's EKS cluster, by name: `aws eks update-kubeconfig` describes it. */
  readonly clusterName: string;
  /**
   * Longest session: at least the timeout of the longest job that assumes the role
   * (plan.github.<role>.maxSessionSeconds), which the job requests with
   * `role-duration-seconds`, so credentials never expire mid-job.
   * @default DEFAULTS.github.maxSessionDuration (1 hour)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * The role of smoke, drift and the restore drill. Its GitHub environment has no
 * reviewers, so it must hold nothing that changes the live environment: it may
 * inspect the environment's stacks (drift), describe its cluster, and, through
 * grants the platform stack attaches to it by name (WorkflowAccess), read the
 * registry-data copy and work inside the drill's namespaces. A restore changes
 * prod, so it runs with the deploy role behind the reviewers instead.
 */
export class GithubOperationsRole extends Construct {
  readonly role: iam.Role;
  /** The `sub` claims the trust policy accepts. */
  readonly subjects: readonly string[];

  constructor(scope: Construct, id: string, props: GithubOperationsRoleProps) {
    super(scope, id);
    validate(props);
    this.subjects = [...props.subjects];
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `GitHub Actions smoke, drift and restore drill of ${props.owner}/${props.repo} (environment ${props.environment})`,
      maxSessionDuration: props.maxSessionDuration ?? DEFAULTS.github.maxSessionDuration,
      assumedBy: githubPrincipal(props.provider, this.subjects),
    });

    const { account, region, partition } = Stack.of(this);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DetectDriftOfTheEnvironmentStacks',
      actions: [
        'cloudformation:DetectStackDrift',
        'cloudformation:DetectStackResourceDrift',
        'cloudformation:DescribeStackResourceDrifts',
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
      ],
      resources: props.stackNames.map((name) => `arn:${partition}:cloudformation:${region}:${account}:stack/${name}/*`),
    }));
    // The detection id is the only handle: IAM has no resource type for this action.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadDriftDetectionStatus',
      actions: ['cloudformation:DescribeStackDriftDetectionStatus'],
      resources: ['*'],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DescribeTheCluster',
      actions: ['eks:DescribeCluster'],
      resources: [`arn:${partition}:eks:${region}:${account}:cluster/${props.clusterName}`],
    }));
  }

  /**
   * The configuration reads drift detection makes with this role's credentials
   * (driftReadActions of a stack). Describe/List calls of most services take no
   * resource ARN, so they are granted on `*`; none of them reads data.
   */
  allowDriftReads(actions: string[]): void {
    addDriftReads(this.role, actions, 'DriftReadsOfTheGithubStack');
  }
}

/** Adds the drift reads to `role` (here, or by name from another stack) with the reason cdk-nag asks for. */
export function addDriftReads(role: iam.IRole, actions: string[], sid: string): void {
  if (!actions.length) return;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources: ['*'] }));
  NagSuppressions.addResourceSuppressions(role, [
    {
      id: 'AwsSolutions-IAM5',
      reason: 'CloudFormation drift detection reads each resource with the caller\'s credentials; these Describe/Get/List configuration reads (ec2:Describe* among them) take no resource ARN, and none reads data. DescribeStackDriftDetectionStatus has no resource type.',
    },
  ], true);
}

function validate(props: GithubOperationsRoleProps): void {
  new PropsCheck('GithubOperationsRole')
    .require(GITHUB_OWNER.test(props.owner), `owner: "${props.owner}" is not a GitHub owner name: letters, digits and hyphens`)
    .require(GITHUB_REPO.test(props.repo), `repo: "${props.repo}" is not a GitHub repository name`)
    .require(isExactEnvironment(props.environment), `environment: "${props.environment}" cannot be matched exactly in the token's sub claim: name one GitHub environment, without * ? or :`)
    .require(props.subjects.length > 0 && props.subjects.every(isPinnedSubject), `subjects: ${JSON.stringify(props.subjects)}: each must name one workflow and ref exactly (…:ref:refs/heads/main:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>@refs/heads/main), without * or ?`)
    .require(props.subjects.every((s) => s.includes(`:environment:${props.environment}:`)), `subjects: each must be of the GitHub environment "${props.environment}"`)
    .require(IAM_ROLE_NAME.test(props.roleName), `roleName: "${props.roleName}" is not an IAM role name: up to 64 letters, digits and +=,.@_-`)
    .require(props.stackNames.length > 0 && props.stackNames.every((s) => CLOUDFORMATION_STACK_NAME.test(s)), `stackNames: ${JSON.stringify(props.stackNames)} must list the environment's CloudFormation stack names (letters, digits, hyphens)`)
    .require(EKS_CLUSTER_NAME.test(props.clusterName), `clusterName: "${props.clusterName}" is not an EKS cluster name`)
    .throwIfAny();
}
