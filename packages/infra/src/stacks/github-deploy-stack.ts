import type { EnvironmentPlan } from '@harbor-platform/config';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { driftReadActions } from '../github/drift-read-actions.js';
import { GithubDeployRole } from '../github/github-deploy-role.js';
import { GithubOperationsRole } from '../github/github-operations-role.js';
import { PlatformImageRepositories } from '../images/platform-image-repositories.js';

export interface GithubDeployStackProps extends StackProps {
  /** The environment's plan: its `github` and `images` plans, names, account and hosted zone. */
  readonly plan: Pick<EnvironmentPlan, 'environment' | 'names' | 'aws' | 'github' | 'images' | 'harbor'>;
}

/**
 * The GitHub roles of one environment, in a stack of its own: an administrator
 * deploys it once (the pipeline cannot create the role it runs as), and a failed
 * or rolled-back platform deploy never touches the roles the pipeline needs to fix
 * it. No reference to the platform stack in either direction: the platform stack
 * attaches its grants to the roles by name (WorkflowAccess).
 * - deploy role: trusted by the deploy and restore workflows on main in
 *   `github.environment` (reviewers), assumes the CDK bootstrap roles; smoke and
 *   restores run with it too.
 * - operations role: trusted by the drift and drill workflows on main in
 *   `<github.environment>-operations` (no reviewers).
 * Each role's session lasts as long as the longest job that assumes it.
 * It also holds the ECR repositories the deploy job pushes the built images to before the
 * platform stack deploys, and the Docker Hub pull-through cache (PlatformImageRepositories).
 * The account's GitHub OIDC provider is imported when `github.oidcProviderArn` names it.
 */
export class GithubDeployStack extends Stack {
  readonly deployRole: GithubDeployRole;
  readonly operationsRole: GithubOperationsRole;
  /** ECR repositories of the images the deploy job builds (they exist before the platform stack), and the Docker Hub cache. */
  readonly images: PlatformImageRepositories;

  constructor(scope: Construct, id: string, props: GithubDeployStackProps) {
    const { plan } = props;
    const { names, github } = plan;
    super(scope, id, {
      description: `GitHub OIDC deploy and operations roles of the Harbor platform, environment ${plan.environment}`,
      ...props,
      env: props.env ?? { account: plan.aws.account, region: plan.aws.region },
    });
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', {
      owner: github.owner,
      repo: github.repo,
      environment: github.environment,
      subjects: github.deployRole.subjects,
      roleName: github.deployRole.name,
      maxSessionDuration: Duration.seconds(github.deployRole.maxSessionSeconds),
      oidcProviderArn: github.oidcProviderArn,
      readableStacks: [names.stacks.platform],
      readableHostedZoneId: plan.harbor.hostedZoneId,
    });
    this.operationsRole = new GithubOperationsRole(this, 'GithubOperations', {
      owner: github.owner,
      repo: github.repo,
      environment: github.operationsEnvironment,
      subjects: github.operationsRole.subjects,
      roleName: github.operationsRole.name,
      maxSessionDuration: Duration.seconds(github.operationsRole.maxSessionSeconds),
      provider: this.deployRole.provider,
      stackNames: [names.stacks.platform, names.stacks.github],
      clusterName: names.cluster,
    });
    this.images = new PlatformImageRepositories(this, 'Images', { images: plan.images, deployRole: this.deployRole.role, digestReaders: [this.operationsRole.role] });
    // Last: every resource type of this stack is defined by now.
    this.operationsRole.allowDriftReads(driftReadActions(this));

    new CfnOutput(this, 'GithubDeployRoleArn', {
      value: this.deployRole.role.roleArn,
      description: 'Role for aws-actions/configure-aws-credentials (role-to-assume) in this environment',
      exportName: names.exports.github.GithubDeployRoleArn,
    });
    new CfnOutput(this, 'GithubOperationsRoleArn', {
      value: this.operationsRole.role.roleArn,
      description: `Role of smoke, drift and the restore drill (GitHub environment ${github.operationsEnvironment})`,
      exportName: names.exports.github.GithubOperationsRoleArn,
    });
  }
}
