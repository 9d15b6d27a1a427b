import type { EnvironmentConfig } from '@harbor-platform/config';
import { reconcileIssue, type IssueAction, type Report } from './issue.js';
import { writeJobSummary } from './summary.js';
import { CommandError, type Io } from '../cli/command.js';
import { GithubIssueTracker, type IssueTracker } from '../github/issues.js';

/** Where a finished report goes: stdout always, the job summary in Actions, the issue with --report. */
export interface PublishOptions {
  readonly io: Io;
  /** File, update or close the environment's GitHub issue. */
  readonly toIssue: boolean;
  /** @default a GithubIssueTracker for the config's repository with $GITHUB_TOKEN */
  readonly tracker?: IssueTracker;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export async function publishReport(config: EnvironmentConfig, report: Report, options: PublishOptions): Promise<IssueAction> {
  const env = options.env ?? process.env;
  options.io.out(report.body);
  writeJobSummary(report.body, env);
  if (!options.toIssue) return { action: 'none' };
  const tracker = options.tracker ?? defaultTracker(config, env);
  const result = await reconcileIssue(tracker, report);
  const where = `${config.github.owner}/${config.github.repo}`;
  if (result.action !== 'none') options.io.out(`${result.action} issue ${where}#${result.number}`);
  return result;
}

function defaultTracker(config: EnvironmentConfig, env: NodeJS.ProcessEnv): IssueTracker {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token) throw new CommandError('--report needs a GitHub token in GITHUB_TOKEN (the workflow passes github.token with issues: write)');
  return new GithubIssueTracker({ owner: config.github.owner, repo: config.github.repo, token });
}
