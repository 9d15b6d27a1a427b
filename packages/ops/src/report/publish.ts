import { readFileSync, writeFileSync } from 'node:fs';
import type { EnvironmentConfig } from '@harbor-platform/config';
import { ReportError } from './errors.js';
import { reconcileIssue, type IssueAction, type Report } from './issue.js';
import { writeJobSummary } from './summary.js';
import type { IssueTracker } from '../github/issues.js';

/** Where a report's lines go: stdout in the CLI (its Io fits). */
export interface ReportWriter {
  readonly out: (text: string) => void;
}

/** Where a finished report goes: stdout always, the job summary in Actions, the issue with --report. */
export interface PublishOptions {
  readonly io: ReportWriter;
  /**
   * Also write the report as JSON here, for a later step that alone holds the
   * issue-writing token (`harbor-platform report --from <file>`).
   * @default no file
   */
  readonly reportFile?: string;
  /**
   * Files, updates or closes the environment's issue: the CLI's `reportTracker`, made before the
   * command's work so a missing token fails at once.
   * @default none: no issue
   */
  readonly tracker?: IssueTracker;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Prints the report, writes it to the job summary (and to `reportFile`), and files, updates
 * or closes the environment's issue on `tracker`.
 */
export async function publishReport(config: EnvironmentConfig, report: Report, options: PublishOptions): Promise<IssueAction> {
  const { tracker } = options;
  options.io.out(report.body);
  writeJobSummary(report.body, options.env ?? process.env);
  if (options.reportFile) writeFileSync(options.reportFile, JSON.stringify(report) + '\n');
  if (!tracker) return { action: 'none' };
  const result = await reconcileIssue(tracker, report);
  const where = `${config.github.owner}/${config.github.repo}`;
  if (result.action !== 'none') options.io.out(`${result.action} issue ${where}#${result.number}`);
  return result;
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
