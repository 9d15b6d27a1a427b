import type { EnvironmentConfig } from './schema/environment.js';

/**
 * Suffix of the GitHub environment whose jobs run smoke, drift and the restore drill.
 * It has no required reviewers, so a nightly drill of prod never waits for a human;
 * the role it can assume changes nothing outside the drill (packages/infra
 * GithubOperationsRole). Deploys and restores stay in `github.environment`.
 */
export const OPERATIONS_ENVIRONMENT_SUFFIX = '-operations';

/** An IAM role that GitHub Actions assumes, by its stable name and ARN. */
export interface GithubRolePlan {
  readonly name: string;
  readonly arn: string;
}

/** Who may assume which role, derived once: infra creates these, the workflows assume them. */
export interface GithubPlan {
  readonly owner: string;
  readonly repo: string;
  /** Deploys and restores run here (required reviewers in prod). */
  readonly environment: string;
  /** Smoke, drift and the drill run here (no reviewers). */
  readonly operationsEnvironment: string;
  /** Trusted by `environment`: assumes the CDK bootstrap roles; restores run with it. */
  readonly deployRole: GithubRolePlan;
  /** Trusted by `operationsEnvironment`: reads drift and runs the drill. */
  readonly operationsRole: GithubRolePlan;
  /** The account's existing GitHub OIDC provider, when the config names one. */
  readonly oidcProviderArn?: string;
}

/** `harbor-platform-<env>-github-<purpose>`: stable, so a workflow and the stack agree without a lookup. */
export function githubRoleName(environment: string, purpose: 'deploy' | 'operations'): string {
  return `harbor-platform-${environment}-github-${purpose}`;
}

export function planGithub(c: EnvironmentConfig): GithubPlan {
  const role = (purpose: 'deploy' | 'operations'): GithubRolePlan => {
    const name = githubRoleName(c.name, purpose);
    return { name, arn: `arn:aws:iam::${c.aws.account}:role/${name}` };
  };
  return {
    owner: c.github.owner,
    repo: c.github.repo,
    environment: c.github.environment,
    operationsEnvironment: `${c.github.environment}${OPERATIONS_ENVIRONMENT_SUFFIX}`,
    deployRole: role('deploy'),
    operationsRole: role('operations'),
    ...(c.github.oidcProviderArn && { oidcProviderArn: c.github.oidcProviderArn }),
  };
}
