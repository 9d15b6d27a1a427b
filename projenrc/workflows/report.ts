import { JobPermission, type Job, type JobStep } from 'projen/lib/github/workflows-model';
import { CLI, prepare, REPORT_FILE, RUN_URL, RUNNER } from './steps';
import type { Workspaces } from '../workspaces';

/** What a report is about (`harbor-platform report --kind`). */
export type ReportKind = 'drift' | 'drill' | 'restore';

/** The report file's artifact: one per environment, handed from the job that ran the command to the job that reports. */
const reportArtifact = (envExpr: string) => `report-${envExpr}`;

/** Last step of a role-holding job: hands its report file (if it wrote one) to the reporting job. */
export function uploadReport(envExpr: string): JobStep {
  return {
    name: 'Hand the report to the reporting job',
    if: 'always()',
    uses: 'actions/upload-artifact',
    with: { 'name': reportArtifact(envExpr), 'path': REPORT_FILE, 'if-no-files-found': 'ignore', 'retention-days': 1 },
  };
}

/** What a reporting job reports on. */
export interface ReportJobProps {
  readonly kind: ReportKind;
  /** The job that ran the command and uploaded its report (uploadReport). */
  readonly needs: string;
  /** The environment's name or an expression yielding it. */
  readonly envExpr: string;
  readonly workspaces: Workspaces;
  /** Job fields besides the defaults (a matrix strategy). @default none */
  readonly extra?: Partial<Job>;
}

/**
 * The only job that holds the issue-writing token, and it holds no AWS role: it publishes
 * the report the command wrote with --report-file, or, when there is none (the command
 * failed before it could write one), a one-line failure with a link to the run. Runs
 * after a failure or a cancel of the job it reports on.
 */
export function reportJob({ kind, needs, envExpr, workspaces, extra = {} }: ReportJobProps): Job {
  return {
    name: `Report the ${kind} of ${envExpr}`,
    needs: [needs],
    if: 'always()',
    runsOn: RUNNER,
    permissions: { contents: JobPermission.READ, issues: JobPermission.WRITE },
    timeoutMinutes: 15,
    ...extra,
    steps: [
      ...prepare(workspaces),
      { name: 'Take the report', uses: 'actions/download-artifact', continueOnError: true, with: { name: reportArtifact(envExpr), path: '${{ runner.temp }}' } },
      {
        name: `Report the ${kind} on the environment's issue`,
        env: { GITHUB_TOKEN: '${{ github.token }}', HP_ENV: envExpr, HP_REPORT: REPORT_FILE, HP_RUN_URL: RUN_URL },
        run: [
          'if [ -f "$HP_REPORT" ]; then',
          `  ${CLI} report --env "$HP_ENV" --from "$HP_REPORT"`,
          'else',
          `  ${CLI} report --env "$HP_ENV" --kind ${kind} --status failed --message "The ${kind} workflow failed before the ${kind} could report: $HP_RUN_URL"`,
          'fi',
        ].join('\n'),
      },
    ],
  };
}
