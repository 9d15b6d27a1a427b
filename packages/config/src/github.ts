import { roleSessionSeconds, roleSubjects, SUBJECT_CLAIM_KEYS, subjectPrefix, TRUSTED_REF } from './github-identity.js';
import type { EnvironmentConfig } from './schema/environment.js';
import { stackNames } from './stacks.js';

/**
 * Suffix of the GitHub environment whose jobs run drift and the restore drill (smoke runs
 * in deploy.yml with the deploy role: it logs in with Harbor's admin password, which this role cannot read).
 * It has no required reviewers, so a nightly drill of prod never waits for a human;
 * the role it can assume changes nothing outside the drill (packages/infra
 * GithubOperationsRole). Deploys and restores stay in `github.environment`.
 */
export const OPERATIONS_ENVIRONMENT_SUFFIX = '-operations';

/** An IAM role that GitHub Actions assumes, by its stable name and ARN. */
export interface GithubRolePlan {
  readonly name: string;
  readonly arn: string;
  /** The `sub` claims the role trusts: one per workflow that may use it (github-identity.ts). */
  readonly subjects: string[];
  /** The role's maximum session, seconds: the longest timeout of a job that assumes it. */
  readonly maxSessionSeconds: number;
}

/** Who may assume which role, derived once: infra creates these, the workflows assume them. */
export interface GithubPlan {
  readonly owner: string;
  readonly repo: string;
  /** Deploys and restores run here (required reviewers in prod). */
  readonly environment: string;
  /** Smoke, drift and the drill run here (no reviewers). */
  readonly operationsEnvironment: string;
  /** The stack that holds both roles (`harbor-platform-<env>-github`): deployed once by an administrator before the pipeline can run. */
  readonly stackName: string;
  /** Trusted by `environment`: assumes the CDK bootstrap roles; restores run with it. */
  readonly deployRole: GithubRolePlan;
  /** Trusted by `operationsEnvironment`: reads drift and runs the drill. */
  readonly operationsRole: GithubRolePlan;
  /**
   * The environment's VPC runners: the CodeBuild project (packages/infra GithubVpcRunner) that
   * hosts GitHub Actions runners in the private subnets, where the private Kubernetes API
   * endpoint answers. Every job that reaches the cluster (smoke, drift, the drill, restore)
   * runs on it; projenrc/workflows.ts reads the name from here.
   */
  readonly runner: GithubRunnerPlan;
  /** The account's existing GitHub OIDC provider, when the config names one. */
  readonly oidcProviderArn?: string;
  /** The repository's OIDC subject template (`include_claim_keys`), which github-setup applies and drift checks. */
  readonly subjectClaimKeys: string[];
  /** Immutable (numeric IDs) or legacy (names) subject form: the template's `use_immutable_subject`. */
  readonly subjectForm: 'immutable' | 'legacy';
  /** The `repo` claim every trusted subject starts with (the API's `sub_claim_prefix`). */
  readonly subjectPrefix: string;
  /** The only ref whose jobs the roles trust. */
  readonly trustedRef: string;
  readonly ownerId?: number;
  readonly repositoryId?: number;
}

/** A CodeBuild-hosted GitHub Actions runner project. */
export interface GithubRunnerPlan {
  /** The CodeBuild project's name. */
  readonly projectName: string;
  /**
   * The `runs-on` label of a job for it, as CodeBuild documents it:
   * `codebuild-<project-name>-${{ github.run_id }}-${{ github.run_attempt }}`.
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
   */
  readonly label: string;
}

/** `harbor-platform-<env>-runner`: the CodeBuild project of the environment's VPC runners. */
export function githubRunnerProjectName(environment: string): string {
  return `harbor-platform-${environment}-runner`;
}

/** The `runs-on` label that makes CodeBuild start a runner of `projectName` for the job. */
export function codebuildRunnerLabel(projectName: string): string {
  return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** `harbor-platform-<env>-github-<purpose>`: stable, so a workflow and the stack agree without a lookup. */
export function githubRoleName(environment: string, purpose: 'deploy' | 'operations'): string {
  return `harbor-platform-${environment}-github-${purpose}`;
}

export function planGithub(c: EnvironmentConfig): GithubPlan {
  const environments = { deploy: c.github.environment, operations: `${c.github.environment}${OPERATIONS_ENVIRONMENT_SUFFIX}` };
  const role = (purpose: 'deploy' | 'operations'): GithubRolePlan => {
    const name = githubRoleName(c.name, purpose);
    return {
      name,
      arn: `arn:aws:iam::${c.aws.account}:role/${name}`,
      subjects: roleSubjects(c, purpose, environments[purpose]),
      maxSessionSeconds: roleSessionSeconds(purpose),
    };
  };
  return {
    owner: c.github.owner,
    repo: c.github.repo,
    environment: environments.deploy,
    operationsEnvironment: environments.operations,
    stackName: stackNames(c.name).github,
    deployRole: role('deploy'),
    operationsRole: role('operations'),
    runner: { projectName: githubRunnerProjectName(c.name), label: codebuildRunnerLabel(githubRunnerProjectName(c.name)) },
    ...(c.github.oidcProviderArn && { oidcProviderArn: c.github.oidcProviderArn }),
    subjectClaimKeys: [...SUBJECT_CLAIM_KEYS],
    subjectForm: c.github.legacySubject ? 'legacy' : 'immutable',
    subjectPrefix: subjectPrefix(c.github),
    trustedRef: TRUSTED_REF,
    ...(c.github.ownerId !== undefined && { ownerId: c.github.ownerId }),
    ...(c.github.repositoryId !== undefined && { repositoryId: c.github.repositoryId }),
  };
}
