import type { GithubPlan } from '@harbor-platform/config';
import { Octokit } from '@octokit/rest';
import { githubSetup } from './setup.js';
import type { GithubSettingsCheck } from '../drift/report.js';

/**
 * The GitHub part of `drift`: `github-setup --check` with the read-only token in
 * GITHUB_SETTINGS_TOKEN (a fine-grained token with Administration and Environments read
 * on the repository; the workflow's own token cannot read the subject template, and the
 * issue-writing token never reaches the drift step). Without it, the report says so.
 * `github` is the environment's `plan.github`; `requireReviewers` its `github.requireReviewers`.
 */
export async function checkGithubSettings(
  github: GithubPlan,
  requireReviewers: boolean,
  env: NodeJS.ProcessEnv,
  octokit?: Octokit,
): Promise<GithubSettingsCheck> {
  const token = env.GITHUB_SETTINGS_TOKEN;
  if (!octokit && !token) return { outcome: 'skipped', reason: 'no GITHUB_SETTINGS_TOKEN (a read-only token of the repository\'s administration and environments)' };
  try {
    const client = octokit ?? new Octokit({ auth: token, userAgent: 'harbor-platform-ops' });
    const r = await githubSetup(client, github, { check: true, requireReviewers });
    return { outcome: 'compared', differences: r.differences, problems: r.problems };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    return { outcome: 'failed', reason: (err as Error).message.split('\n')[0]!, ...(typeof status === 'number' && { status }) };
  }
}
