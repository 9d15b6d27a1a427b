import { readFileSync, writeFileSync } from 'node:fs';
import type { EnvironmentConfig } from '@harbor-platform/config';
import { ReportError } from './errors.js';
import { reconcileIssue, type IssueAction, type Report } from './issue.js';
import { writeJobSummary } from './summary.js';
import { GithubIssueTracker, type IssueTracker } from '../github/issues.js';

/** Where a report's lines go: stdout in the CLI (its Io fits). */
export interface ReportWriter {
  readonly out: (text: string) => void;
}

/** Where a finished report goes: stdout always, the job summary in Actions, the issue with --report. */
export interface PublishOptions {
  readonly io: ReportWriter;
  /** File, update or close the environment's GitHub issue. */
  readonly toIssue: boolean;
  /**
   * Also write the report as JSON here, for a later step that alone holds the
   * issue-writing token (`harbor-platform report --from <file>`).
   * @default no file
   */
  readonly reportFile?: string;
  /** @default a GithubIssueTracker for the config's repository with $GITHUB_TOKEN (or $GH_TOKEN) */
  readonly tracker?: IssueTracker;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Prints the report, writes it to the job summary (and to `reportFile`), and files, updates
 * or closes the environment's issue when `toIssue`.
 * @throws ReportError without a GitHub token when `toIssue` and no tracker was given
 */
export async function publishReport(config: EnvironmentConfig, report: Report, options: PublishOptions): Promise<IssueAction> {
  const env = options.env ?? process.env;
  // Before any output: a report without its issue must not look published.
  const tracker = options.toIssue ? (options.tracker ?? defaultTracker(config, env)) : undefined;
  options.io.out(report.body);
  writeJobSummary(report.body, env);
  if (options.reportFile) writeFileSync(options.reportFile, JSON.stringify(report) + '\n');
  if (!tracker) return { action: 'none' };
  const result = await reconcileIssue(tracker, report);
  const where = `${config.github.owner}/${config.github.repo}`;
  if (result.action !== 'none') options.io.out(`${result.action} issue ${where}#${result.number}`);
  return result;
}

function defaultTracker(config: EnvironmentConfig, env: NodeJS.ProcessEnv): IssueTracker {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new ReportError(`no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with issues: write on ${config.github.owner}/${config.github.repo}`);
  return new GithubIssueTracker({ owner: config.github.owner, repo: config.github.repo, token });
}

const KINDS = ['drift', 'drill', 'restore'];

/**
 * A report written with `reportFile`, checked field by field.
 * @throws ReportError naming the file, the field and the fix
 */
export function readReportFile(path: string): Report {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ReportError(`--from ${path}: cannot read a report: ${(err as Error).message.split('\n')[0]}: pass the file a command wrote with --report-file`);
  }
  const r = raw as Partial<Report>;
  const bad = !r || typeof r !== 'object' ? '(file)'
    : typeof r.environment !== 'string' ? 'environment'
      : !KINDS.includes(r.kind as string) ? 'kind'
        : typeof r.healthy !== 'boolean' ? 'healthy'
          : typeof r.headline !== 'string' ? 'headline'
            : typeof r.body !== 'string' ? 'body' : undefined;
  if (bad) throw new ReportError(`--from ${path}: ${bad}: missing or of the wrong type: pass the file a command wrote with --report-file`);
  return { environment: r.environment!, kind: r.kind!, healthy: r.healthy!, headline: r.headline!, body: r.body! };
}
