import type { GithubPlan } from '@harbor-platform/config';
import type { Octokit } from '@octokit/rest';

/**
 * The repository settings the roles' trust depends on, as code: the OIDC subject
 * template (so tokens carry `ref` and `job_workflow_ref`, in the immutable or legacy
 * form the config says; the repository's `sub_claim_prefix` must then be the prefix the
 * roles trust) and, for the deploy and operations GitHub environments, a
 * deployment branch policy that admits only the trusted branch. Required reviewers
 * are people, not config: setup keeps the ones set in GitHub and reports a missing one.
 *
 * @see https://docs.github.com/en/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository
 * @see https://docs.github.com/en/rest/deployments/environments#create-or-update-an-environment
 * @see https://docs.github.com/en/rest/deployments/branch-policies
 */
export interface GithubSetupResult {
  /** What differs from the plan (before any change), one line each. */
  readonly differences: string[];
  /** What setup changed (empty with `check`, or when nothing differed). */
  readonly changes: string[];
  /** What setup cannot fix by itself (no reviewers on an environment that needs them). */
  readonly problems: string[];
}

export interface GithubSetupOptions {
  /** Only compare; change nothing (the drift check). @default false */
  readonly check?: boolean;
  /** The deploy environment needs required reviewers (`github.requireReviewers`). */
  readonly requireReviewers: boolean;
}

type Repo = { owner: string; repo: string };

/** The subject template as GET returns it (`use_immutable_subject` and `sub_claim_prefix` are newer than some clients' types). */
interface SubjectTemplate {
  use_default: boolean;
  include_claim_keys?: string[];
  use_immutable_subject?: boolean;
  sub_claim_prefix?: string;
}

interface EnvironmentState {
  readonly exists: boolean;
  readonly customBranchesOnly: boolean;
  readonly branchPolicies: { id: number; name: string; type: string }[];
  readonly reviewers: { type: 'User' | 'Team'; id: number }[];
  readonly preventSelfReview?: boolean;
  readonly waitTimer?: number;
}

/** The branch name of a `refs/heads/<branch>` ref. */
const branchOf = (ref: string) => ref.replace(/^refs\/heads\//, '');

/** Compares the repository with the plan and, unless `check`, makes it match. Idempotent: a second run changes nothing. */
export async function githubSetup(octokit: Octokit, plan: GithubPlan, options: GithubSetupOptions): Promise<GithubSetupResult> {
  const repo = { owner: plan.owner, repo: plan.repo };
  const differences: string[] = [];
  const changes: string[] = [];
  const problems: string[] = [];

  const sub = (await octokit.rest.actions.getCustomOidcSubClaimForRepo(repo)).data as SubjectTemplate;
  const keys = sub.include_claim_keys ?? [];
  const immutable = plan.subjectForm === 'immutable';
  const templateOk = !sub.use_default && keys.join(',') === plan.subjectClaimKeys.join(',') && (sub.use_immutable_subject ?? false) === immutable;
  if (!templateOk) {
    const now = sub.use_default ? 'the default' : `[${keys.join(', ')}]${sub.use_immutable_subject ? ' (immutable)' : ''}`;
    differences.push(`OIDC subject template: ${now}, not [${plan.subjectClaimKeys.join(', ')}]${immutable ? ' (immutable)' : ''}`);
    if (!options.check) {
      const template = { ...repo, use_default: false, include_claim_keys: [...plan.subjectClaimKeys], use_immutable_subject: immutable };
      await octokit.rest.actions.setCustomOidcSubClaimForRepo(template as Parameters<typeof octokit.rest.actions.setCustomOidcSubClaimForRepo>[0]);
      changes.push(`set the OIDC subject template to [${plan.subjectClaimKeys.join(', ')}], ${immutable ? 'immutable' : 'legacy'} form`);
    }
  } else if (sub.sub_claim_prefix !== undefined && sub.sub_claim_prefix !== plan.subjectPrefix) {
    // The template is right, yet tokens start otherwise (a renamed repository, IDs that are not this repository's).
    problems.push(`OIDC subject: GitHub issues tokens starting "${sub.sub_claim_prefix}", the roles trust "${plan.subjectPrefix}": check github.owner, repo, ownerId, repositoryId and legacySubject`);
  }

  const branch = branchOf(plan.trustedRef);
  const environments = await listEnvironments(octokit, repo);
  for (const [name, needsReviewers] of [[plan.environment, options.requireReviewers], [plan.operationsEnvironment, false]] as const) {
    const state = await readEnvironment(octokit, repo, name, environments);
    const policyOk = state.exists && state.customBranchesOnly;
    if (!policyOk) {
      differences.push(`environment ${name}: ${state.exists ? 'deploys from any branch' : 'does not exist'}, not from ${branch} only`);
      if (!options.check) {
        await octokit.rest.repos.createOrUpdateEnvironment({
          ...repo,
          environment_name: name,
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
          // Kept as they are: PUT replaces the environment's protection rules.
          ...(state.reviewers.length && { reviewers: state.reviewers }),
          ...(state.preventSelfReview !== undefined && { prevent_self_review: state.preventSelfReview }),
          ...(state.waitTimer !== undefined && { wait_timer: state.waitTimer }),
        });
        changes.push(`${state.exists ? 'restricted' : 'created'} environment ${name} to custom deployment branches`);
      }
    }
    const policies = policyOk ? state.branchPolicies : [];
    const others = policies.filter((p) => !(p.name === branch && p.type === 'branch'));
    if (!policies.some((p) => p.name === branch && p.type === 'branch')) {
      if (policyOk) differences.push(`environment ${name}: branch ${branch} is not allowed to deploy`);
      if (!options.check) {
        await octokit.rest.repos.createDeploymentBranchPolicy({ ...repo, environment_name: name, name: branch, type: 'branch' });
        changes.push(`allowed branch ${branch} in environment ${name}`);
      }
    }
    for (const p of others) {
      differences.push(`environment ${name}: ${p.type} pattern "${p.name}" may deploy`);
      if (!options.check) {
        await octokit.rest.repos.deleteDeploymentBranchPolicy({ ...repo, environment_name: name, branch_policy_id: p.id });
        changes.push(`removed ${p.type} pattern "${p.name}" from environment ${name}`);
      }
    }
    if (needsReviewers && !state.reviewers.length) {
      problems.push(`environment ${name}: no required reviewers, but github.requireReviewers is true: add reviewers in the repository's Settings > Environments > ${name} (setup never picks people)`);
    }
  }
  return { differences, changes, problems };
}

type EnvironmentJson = Awaited<ReturnType<Octokit['rest']['repos']['getEnvironment']>>['data'];

/** The repository's environments by name (one listing: GET of a missing environment is undocumented). */
async function listEnvironments(octokit: Octokit, repo: Repo): Promise<Map<string, EnvironmentJson>> {
  // paginate turns the `{ total_count, environments }` pages into one list of environments.
  const all = (await octokit.paginate(octokit.rest.repos.getAllEnvironments, { ...repo, per_page: 100 })) as unknown as EnvironmentJson[];
  return new Map(all.map((e) => [e.name, e]));
}

async function readEnvironment(octokit: Octokit, repo: Repo, name: string, environments: Map<string, EnvironmentJson>): Promise<EnvironmentState> {
  const env = environments.get(name);
  if (!env) return { exists: false, customBranchesOnly: false, branchPolicies: [], reviewers: [] };
  const rules = env.protection_rules ?? [];
  const reviewerRule = rules.find((r) => r.type === 'required_reviewers') as { reviewers?: { type?: string; reviewer?: { id?: number } | null }[]; prevent_self_review?: boolean } | undefined;
  const waitRule = rules.find((r) => r.type === 'wait_timer') as { wait_timer?: number } | undefined;
  const reviewers = (reviewerRule?.reviewers ?? [])
    .filter((r) => (r.type === 'User' || r.type === 'Team') && typeof r.reviewer?.id === 'number')
    .map((r) => ({ type: r.type as 'User' | 'Team', id: r.reviewer!.id! }));
  const policy = env.deployment_branch_policy;
  const customBranchesOnly = policy?.custom_branch_policies === true && policy?.protected_branches === false;
  const listed = customBranchesOnly
    ? await octokit.rest.repos.listDeploymentBranchPolicies({ ...repo, environment_name: name, per_page: 100 })
    : undefined;
  const branchPolicies = listed
    ? (listed.data.branch_policies ?? [])
      .map((p) => ({ id: p.id ?? 0, name: p.name ?? '', type: p.type ?? 'branch' }))
    : [];
  return {
    exists: true,
    customBranchesOnly,
    branchPolicies,
    reviewers,
    ...(reviewerRule?.prevent_self_review !== undefined && { preventSelfReview: reviewerRule.prevent_self_review }),
    ...(waitRule?.wait_timer !== undefined && { waitTimer: waitRule.wait_timer }),
  };
}
