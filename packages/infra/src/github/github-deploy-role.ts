import { CLOUDFORMATION_STACK_NAME, GITHUB_OIDC_PROVIDER_ARN, GITHUB_OWNER, GITHUB_REPO, IAM_ROLE_NAME } from '@harbor-platform/config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Duration, Stack } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';
import { githubOidcProvider, githubPrincipal, isExactEnvironment, isPinnedSubject } from './github-oidc.js';

export interface GithubDeployRoleProps {
  /** GitHub owner (organization or user) of the repository. */
  readonly owner: string;
  /** Repository name. */
  readonly repo: string;
  /** The GitHub environment whose jobs may assume the role (its protection rules gate the deploy). */
  readonly environment: string;
  /**
   * The `sub` claims trusted: each one workflow on one ref in `environment`
   * (plan.github.<role>.subjects). A subject without workflow and ref is refused.
   */
  readonly subjects: readonly string[];
  /** Name of the IAM role: stable, so workflows can build its ARN from the config. */
  readonly roleName: string;
  /**
   * ARN of the account's GitHub OIDC provider, when it already exists (an
   * account holds one provider per URL).
   * @default - this construct creates the provider
   */
  readonly oidcProviderArn?: string;
  /**
   * A provider already in this app, such as another role's (wins over `oidcProviderArn`).
   * @default - imported from `oidcProviderArn`, or created
   */
  readonly provider?: iam.IOidcProvider;
  /**
   * Qualifier of the CDK bootstrap stack whose roles the deploy may assume.
   * @default DEFAULTS.github.bootstrapQualifier ("hnb659fds")
   */
  readonly bootstrapQualifier?: string;
  /**
   * Stacks whose outputs the deploy job reads itself (`cloudformation:DescribeStacks`),
   * before the deploy: the deployed MinIO StatefulSets `plan --previous` compares with.
   * @default [] - none
   */
  readonly readableStacks?: readonly string[];
  /**
   * Route 53 hosted zone (its ID) whose records the smoke job reads
   * (`route53:ListResourceRecordSets`) to wait until ExternalDNS has written Harbor's record,
   * before anything resolves the name (a resolver caches "no such name" for the zone's SOA
   * negative TTL, 900 s by default).
   * @default none
   */
  readonly readableHostedZoneId?: string;
  /**
   * Longest session: at least the timeout of the longest job that assumes the role
   * (plan.github.<role>.maxSessionSeconds), which the job requests with
   * `role-duration-seconds`, so credentials never expire mid-job.
   * @default DEFAULTS.github.maxSessionDuration (1 hour)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * The role GitHub Actions assumes through OIDC to deploy one environment. Only
 * the jobs `subjects` names can assume it: the deploy and restore workflows of
 * `owner/repo`, on main, in the GitHub environment `environment` (the token's
 * `sub`, customised to carry `ref` and `job_workflow_ref`, so a branch or a
 * copied workflow that declares the environment cannot), only for STS (`aud`),
 * and all it may do is
 * assume the CDK bootstrap roles of this account and region; CloudFormation's
 * execution role does the rest.
 */
export class GithubDeployRole extends Construct {
  readonly role: iam.Role;
  readonly provider: iam.IOidcProvider;
  /** The `sub` claims the trust policy accepts. */
  readonly subjects: readonly string[];

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const qualifier = props.bootstrapQualifier ?? DEFAULTS.github.bootstrapQualifier;
    validate(props, qualifier);
    this.provider = props.provider ?? githubOidcProvider(this, 'Provider', props.oidcProviderArn);
    this.subjects = [...props.subjects];

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `GitHub Actions deploys of ${props.owner}/${props.repo} (environment ${props.environment})`,
      maxSessionDuration: props.maxSessionDuration ?? DEFAULTS.github.maxSessionDuration,
      assumedBy: githubPrincipal(this.provider, this.subjects),
    });
    const { account, region, partition } = Stack.of(this);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'AssumeCdkBootstrapRoles',
      actions: ['sts:AssumeRole'],
      resources: ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(
        (kind) => `arn:${partition}:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-${region}`,
      ),
    }));
    const readable = props.readableStacks ?? [];
    if (readable.length > 0) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadDeployedStackOutputs',
        actions: ['cloudformation:DescribeStacks'],
        resources: readable.map((name) => `arn:${partition}:cloudformation:${region}:${account}:stack/${name}/*`),
      }));
      NagSuppressions.addResourceSuppressions(this.role, [{
        id: 'AwsSolutions-IAM5',
        reason: "A stack's ARN ends in its stack ID, which exists only once the stack does: `stack/<name>/*` names exactly the stacks listed in readableStacks, for DescribeStacks (their outputs) alone.",
        appliesTo: readable.map((name) => `Resource::arn:${partition}:cloudformation:${region}:${account}:stack/${name}/*`),
      }], true);
    }
    if (props.readableHostedZoneId) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ReadHarborRecords',
        actions: ['route53:ListResourceRecordSets'],
        resources: [`arn:${partition}:route53:::hostedzone/${props.readableHostedZoneId}`],
      }));
    }
  }
}

function validate(props: GithubDeployRoleProps, qualifier: string): void {
  new PropsCheck('GithubDeployRole')
    .require(GITHUB_OWNER.test(props.owner), `owner: "${props.owner}" is not a GitHub owner name: letters, digits and hyphens`)
    .require(GITHUB_REPO.test(props.repo), `repo: "${props.repo}" is not a GitHub repository name`)
    .require(isExactEnvironment(props.environment), `environment: "${props.environment}" cannot be matched exactly in the token's sub claim: name one GitHub environment, without * ? or :`)
    .require(props.subjects.length > 0 && props.subjects.every(isPinnedSubject), `subjects: ${JSON.stringify(props.subjects)}: each must name one workflow and ref exactly (…:ref:refs/heads/main:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>@refs/heads/main), without * or ?`)
    .require(props.subjects.every((s) => s.includes(`:environment:${props.environment}:`)), `subjects: each must be of the GitHub environment "${props.environment}"`)
    .require(IAM_ROLE_NAME.test(props.roleName), `roleName: "${props.roleName}" is not an IAM role name: up to 64 letters, digits and +=,.@_-`)
    .require((props.readableStacks ?? []).every((n) => CLOUDFORMATION_STACK_NAME.test(n)), `readableStacks: ${JSON.stringify(props.readableStacks)}: each must be a CloudFormation stack name (letters, digits, hyphens)`)
    .require(/^[a-z0-9]{1,10}$/.test(qualifier), `bootstrapQualifier: "${qualifier}" is not a CDK bootstrap qualifier: up to 10 lower-case letters and digits`)
    .require(!props.oidcProviderArn || GITHUB_OIDC_PROVIDER_ARN.test(props.oidcProviderArn), `oidcProviderArn: "${props.oidcProviderArn}" is not the ARN of a GitHub OIDC provider: arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`)
    .throwIfAny();
}
