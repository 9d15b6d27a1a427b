/**
 * `harbor-platform github-setup` against a stateful fake of one repository's settings,
 * every request and answer checked against GitHub's OpenAPI description (@octokit/openapi).
 */
import { planGithub, planNames, type EnvironmentConfig } from '@harbor-platform/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeRepository } from './support/fake-github-repository.js';
import { loadConfig, loadPlan } from './support/fakes.js';
import { githubSpec } from './support/github-openapi.js';
import { UsageError } from '../src/cli/command.js';
import { runGithubSetupCommand } from '../src/commands/github-setup-run.js';
import { driftMarkdown, judgeDrift } from '../src/drift/report.js';
import { checkGithubSettings } from '../src/github/settings-check.js';
import { githubSetup } from '../src/github/setup.js';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
};
const run = async (repo: FakeRepository, env: string, check = false) => {
  const o = io();
  const code = await runGithubSetupCommand({ values: { env, ...(check && { check: true }) }, positionals: [] }, o.io, {}, repo.octokit());
  return { code, ...o };
};

describe('github-setup', () => {
  beforeAll(() => void githubSpec(), 60_000);

  it("applies the subject template and restricts both environments to main on a fresh repository, and says prod's reviewers are missing", async () => {
    const repo = new FakeRepository();
    const result = await run(repo, 'prod');
    expect(repo.writes()).toEqual([
      'actions/set-custom-oidc-sub-claim-for-repo /actions/oidc/customization/sub',
      'repos/create-or-update-environment /environments/prod',
      'repos/create-deployment-branch-policy /environments/prod/deployment-branch-policies',
      'repos/create-or-update-environment /environments/prod-operations',
      'repos/create-deployment-branch-policy /environments/prod-operations/deployment-branch-policies',
    ]);
    expect(repo.sub).toEqual({ use_default: false, include_claim_keys: ['repo', 'context', 'ref', 'job_workflow_ref'], use_immutable_subject: true });
    for (const name of ['prod', 'prod-operations']) {
      expect(repo.environments.get(name)).toMatchObject({ branchPolicy: { protected_branches: false, custom_branch_policies: true }, policies: [{ name: 'main', type: 'branch' }] });
    }
    expect(result.err).toEqual([expect.stringMatching(/^problem: environment prod: no required reviewers, but github.requireReviewers is true: add reviewers/)]);
    expect(result.code).toBe(3);
  });

  it('is idempotent: a second run sends no write and reports nothing', async () => {
    const repo = new FakeRepository();
    expect((await run(repo, 'dev')).code).toBe(0);
    const before = repo.requests.length;
    const second = await run(repo, 'dev');
    expect(second.code).toBe(0);
    expect(repo.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(second.out).toEqual(['example-org/harbor-platform: OIDC subject template and environments as planned']);
  });

  it('keeps the reviewers set in GitHub while it restricts the branches, and removes other patterns', async () => {
    const repo = new FakeRepository();
    repo.environments.set('prod', { branchPolicy: null, policies: [], reviewers: [4532992], preventSelfReview: true });
    repo.environments.set('prod-operations', { branchPolicy: { protected_branches: false, custom_branch_policies: true }, policies: [{ id: 7, name: 'main', type: 'branch' }, { id: 8, name: 'release/*', type: 'branch' }], reviewers: [] });
    const result = await run(repo, 'prod');
    expect(result.code).toBe(0);
    const put = repo.requests.find((r) => r.operationId === 'repos/create-or-update-environment')!;
    expect(put.body).toEqual({ deployment_branch_policy: { protected_branches: false, custom_branch_policies: true }, reviewers: [{ type: 'User', id: 4532992 }], prevent_self_review: true });
    expect(repo.environments.get('prod')!.reviewers).toEqual([4532992]);
    expect(repo.environments.get('prod-operations')!.policies).toEqual([{ id: 7, name: 'main', type: 'branch' }]);
    expect(result.out).toContain('changed: removed branch pattern "release/*" from environment prod-operations');
  });

  it('--check (the drift check) changes nothing and exits 1 naming each difference', async () => {
    const repo = new FakeRepository();
    repo.environments.set('dev', { branchPolicy: null, policies: [], reviewers: [] });
    const result = await run(repo, 'dev', true);
    expect(repo.writes()).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      'differs: OIDC subject template: the default, not [repo, context, ref, job_workflow_ref] (immutable)',
      'differs: environment dev: deploys from any branch, not from main only',
      'differs: environment dev-operations: does not exist, not from main only',
    ]);
  });

  it('reports tokens whose prefix the roles do not trust (IDs of another repository)', async () => {
    const repo = new FakeRepository({ owner: 999, repo: 888 });
    await run(repo, 'dev');
    const result = await run(repo, 'dev', true);
    expect(result.code).toBe(3);
    expect(result.err).toEqual(['problem: OIDC subject: GitHub issues tokens starting "repo:example-org@999/harbor-platform@888", the roles trust "repo:example-org@123456/harbor-platform@456789": check github.owner, repo, ownerId, repositoryId and legacySubject']);
  });

  it('sets the legacy form where the config says the repository still uses it', async () => {
    const repo = new FakeRepository();
    const config: EnvironmentConfig = loadConfig('dev');
    const legacy = planGithub({ ...config, github: { ...config.github, legacySubject: true } }, planNames(config));
    const result = await githubSetup(repo.octokit(), legacy, { requireReviewers: false });
    expect(repo.sub.use_immutable_subject).toBe(false);
    expect(result.problems).toEqual([]);
    expect((await githubSetup(repo.octokit(), legacy, { requireReviewers: false, check: true })).differences).toEqual([]);
  });

  it('needs a token when no client is given', async () => {
    const o = io();
    // A missing credential is a usage error (exit 2), naming both variables the command takes.
    const err = await runGithubSetupCommand({ values: { env: 'dev' }, positionals: [] }, o.io, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('set GITHUB_TOKEN (or GH_TOKEN) to a token with administration access to the repository (read for --check)');
  });
});

describe('drift of the GitHub settings', () => {
  beforeAll(() => void githubSpec(), 60_000);

  it('counts each difference as drift in the verdict and the report', async () => {
    const repo = new FakeRepository();
    const check = await checkGithubSettings(loadPlan('dev').github, loadConfig('dev').github.requireReviewers, {}, repo.octokit());
    expect(repo.writes()).toEqual([]);
    const findings = { environment: 'dev', stacks: [], templates: [], manifests: { outcome: 'in-sync' as const }, github: check };
    const verdict = judgeDrift(findings);
    expect(verdict.status).toBe('drift');
    expect(verdict.drifted).toContain('GitHub settings: OIDC subject template: the default, not [repo, context, ref, job_workflow_ref] (immutable)');
    expect(driftMarkdown(findings, verdict)).toContain('### GitHub settings (OIDC subject template, environments)\n- OIDC subject template: the default');
  });

  it('is in sync after github-setup, and says so when no token is given', async () => {
    const repo = new FakeRepository();
    await run(repo, 'dev');
    const check = await checkGithubSettings(loadPlan('dev').github, loadConfig('dev').github.requireReviewers, {}, repo.octokit());
    expect(check).toEqual({ outcome: 'compared', differences: [], problems: [] });
    expect(judgeDrift({ environment: 'dev', stacks: [], templates: [], manifests: { outcome: 'in-sync' }, github: check }).status).toBe('in-sync');
    expect(await checkGithubSettings(loadPlan('dev').github, loadConfig('dev').github.requireReviewers, {})).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('GITHUB_SETTINGS_TOKEN') });
  });
});
