import type { EnvironmentConfig } from '@harbor-platform/config';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { platformNames } from './harbor-platform-stack.js';
import { GithubDeployRole } from '../github/github-deploy-role.js';

export interface GithubDeployStackProps extends StackProps {
  /** The validated environment: its `github` section and account. */
  readonly config: EnvironmentConfig;
}

/**
 * The GitHub deploy role of one environment, in a stack of its own: an
 * administrator deploys it once (the pipeline cannot create the role it runs
 * as), and a failed or rolled-back platform deploy never touches the role the
 * pipeline needs to fix it. No reference to the platform stack in either direction.
 */
export class GithubDeployStack extends Stack {
  readonly deployRole: GithubDeployRole;

  constructor(scope: Construct, id: string, props: GithubDeployStackProps) {
    const { config } = props;
    super(scope, id, {
      description: `GitHub OIDC deploy role of the Harbor platform, environment ${config.name}`,
      ...props,
      env: props.env ?? { account: config.aws.account, region: config.aws.region },
    });
    const names = platformNames(config.name);
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', {
      owner: config.github.owner,
      repo: config.github.repo,
      environment: config.github.environment,
      roleName: names.githubDeployRole,
    });
    new CfnOutput(this, 'GithubDeployRoleArn', {
      value: this.deployRole.role.roleArn,
      description: 'Role for aws-actions/configure-aws-credentials (role-to-assume) in this environment',
      exportName: `${names.exportPrefix}-github-deploy-role-arn`,
    });
  }
}
