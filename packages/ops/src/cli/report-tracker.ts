import type { EnvironmentConfig } from '@harbor-platform/config';
import { UsageError } from './command.js';
import { GithubIssueTracker, type IssueTracker } from '../github/issues.js';

/**
 * The tracker a command files its report on, made before the command prints or does anything
 * else, so a missing token fails at once rather than after a long run and its summary.
 * The token is GITHUB_TOKEN, else GH_TOKEN (gh's name for the same token).
 * @param option `--report` for drift, drill and restore (called only when it is given); undefined for `report`, which always files
 * @throws UsageError (exit 2, as for any missing credential) naming both variables and the fix
 */
export function reportTracker(config: EnvironmentConfig, option: '--report' | undefined, env: NodeJS.ProcessEnv = process.env): IssueTracker {
  const { owner, repo } = config.github;
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (token) return new GithubIssueTracker({ owner, repo, token });
  const set = `set GITHUB_TOKEN (or GH_TOKEN) to a token with issues: write on ${owner}/${repo}`;
  if (option === undefined) throw new UsageError(`${set} (the workflow passes github.token)`);
  throw new UsageError(`${option}: ${set}, or leave ${option} out (--report-file <path> hands the report to a later "report --from" step)`);
}
