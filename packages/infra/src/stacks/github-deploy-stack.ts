import { planGithub, planImages, planNames, type EnvironmentConfig } from '@harbor-platform/config';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { platformNames } from './harbor-platform-stack.js';
import { driftReadActions } from '../github/drift-read-actions.js';
import { GithubDeployRole } from '../github/github-deploy-role.js';
import { GithubOperationsRole } from '../github/github-operations-role.js';
import { PlatformImageRepositories } from '../images/platform-image-repositories.js';

export interface GithubDeployStackProps extends StackProps {
  /** The validated environment: its `github` section and account. */
  readonly config: EnvironmentConfig;
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
    const { config } = props;
    super(scope, id, {
      description: `GitHub OIDC deploy and operations roles of the Harbor platform, environment ${config.name}`,
      ...props,
      env: props.env ?? { account: config.aws.account, region: config.aws.region },
    });
    const names = platformNames(config.name);
    const github = planGithub(config, planNames(config));
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', {
      owner: github.owner,
      repo: github.repo,
      environment: github.environment,
      subjects: github.deployRole.subjects,
      roleName: github.deployRole.name,
      maxSessionDuration: Duration.seconds(github.deployRole.maxSessionSeconds),
      oidcProviderArn: github.oidcProviderArn,
      readableStacks: [names.stack],
      readableHostedZoneId: config.dns.hostedZoneId,
    });
    this.operationsRole = new GithubOperationsRole(this, 'GithubOperations', {
      owner: github.owner,
      repo: github.repo,
      environment: github.operationsEnvironment,
      subjects: github.operationsRole.subjects,
      roleName: github.operationsRole.name,
      maxSessionDuration: Duration.seconds(github.operationsRole.maxSessionSeconds),
      provider: this.deployRole.provider,
      stackNames: [names.stack, names.githubStack],
      clusterName: names.cluster,
    });
    this.images = new PlatformImageRepositories(this, 'Images', { images: planImages(config), deployRole: this.deployRole.role, digestReaders: [this.operationsRole.role] });
    // Last: every resource type of this stack is defined by now.
    this.operationsRole.allowDriftReads(driftReadActions(this));

    new CfnOutput(this, 'GithubDeployRoleArn', {
      value: this.deployRole.role.roleArn,
      description: 'Role for aws-actions/configure-aws-credentials (role-to-assume) in this environment',
      exportName: `${names.exportPrefix}-github-deploy-role-arn`,
    });
    new CfnOutput(this, 'GithubOperationsRoleArn', {
      value: this.operationsRole.role.roleArn,
      description: `Role of smoke, drift and the restore drill (GitHub environment ${github.operationsEnvironment})`,
      exportName: `${names.exportPrefix}-github-operations-role-arn`,
    });
  }
}
