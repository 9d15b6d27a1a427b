import { roleSessionSeconds, roleSubjects, SUBJECT_CLAIM_KEYS, subjectPrefix, TRUSTED_REF } from './github-identity.js';
import type { PlanNames } from './names.js';
import type { EnvironmentConfig } from './schema/environment.js';

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
   * runs on it; projenrc/workflows/ reads the name from here.
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

/** The `runs-on` label that makes CodeBuild start a runner of `projectName` for the job. */
export function codebuildRunnerLabel(projectName: string): string {
  return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** The GitHub side of one environment; its names come from {@link PlanNames}. */
export function planGithub(c: EnvironmentConfig, names: PlanNames): GithubPlan {
  const environments = names.githubEnvironments;
  const role = (purpose: 'deploy' | 'operations'): GithubRolePlan => {
    const name = purpose === 'deploy' ? names.roles.githubDeploy : names.roles.githubOperations;
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
    stackName: names.stacks.github,
    deployRole: role('deploy'),
    operationsRole: role('operations'),
    runner: { projectName: names.runnerProject, label: codebuildRunnerLabel(names.runnerProject) },
    ...(c.github.oidcProviderArn && { oidcProviderArn: c.github.oidcProviderArn }),
    subjectClaimKeys: [...SUBJECT_CLAIM_KEYS],
    subjectForm: c.github.legacySubject ? 'legacy' : 'immutable',
    subjectPrefix: subjectPrefix(c.github),
    trustedRef: TRUSTED_REF,
    ...(c.github.ownerId !== undefined && { ownerId: c.github.ownerId }),
    ...(c.github.repositoryId !== undefined && { repositoryId: c.github.repositoryId }),
  };
}
