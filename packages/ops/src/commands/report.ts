import { UsageError, requireString } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { githubTokenVariable, STEP_SUMMARY_VARIABLE } from '../cli/environment-variables.js';
import { ENVIRONMENT_OPTIONS, loadConfigOption } from '../cli/environment.js';
import { reportTracker } from '../cli/report-tracker.js';
import type { ReportKind } from '../report/issue.js';
import { publishReport, readReportFile } from '../report/publish.js';

const KINDS: ReportKind[] = ['drift', 'drill', 'restore'];

export const reportCommand = defineCommand({
  name: 'report',
  usage: [
    'report (--env <name> | --config <file>) --kind <drift|drill|restore> --status <ok|failed> --message <text>',
    'report (--env <name> | --config <file>) --from <file>',
  ],
  description: `The one workflow step that holds the issue-writing token. With --from, publishes the
report a drift, drill or restore wrote with --report-file; otherwise, for steps that
failed before a command could report itself, a one-line result. Opens (or updates) the
environment's issue of that kind when failed, closes it when ok; also writes the job
summary.`,
  groups: [ENVIRONMENT_OPTIONS],
  environment: [
    githubTokenVariable("issues: write on the config's repository (github.owner/github.repo); required"),
    STEP_SUMMARY_VARIABLE,
  ],
  options: {
    kind: { type: 'string', placeholder: '<kind>', description: KINDS.join(', ').replace(/, (?=[^,]*$)/, ' or ') },
    status: { type: 'string', placeholder: '<status>', description: 'ok or failed' },
    message: { type: 'string', placeholder: '<text>', description: 'what happened (one line; a link to the run helps)' },
    from: { type: 'string', placeholder: '<file>', description: 'a report written with --report-file (instead of --kind, --status, --message)' },
  },
  async run(args, io) {
    const from = args.values.from;
    if (from !== undefined) {
      const given = (['kind', 'status', 'message'] as const).filter((o) => args.values[o] !== undefined);
      if (given.length) throw new UsageError(`--from: the file holds the whole report: drop ${given.map((o) => `--${o}`).join(', ')}, or drop --from`);
      const { config } = loadConfigOption(args, io);
      const report = readReportFile(from);
      if (report.environment !== config.name) throw new UsageError(`--from ${from}: environment: "${report.environment}" is not the environment "${config.name}": publish each environment's report with its own --env`);
      const tracker = reportTracker(config, undefined);
      // Already in the job summary: the command that wrote the file put it there.
      await publishReport(config, report, { io, tracker, env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
      return 0;
    }
    const kind = requireString(args, 'kind') as ReportKind;
    if (!KINDS.includes(kind)) throw new UsageError(`--kind: "${kind}" is not a report kind: use one of ${KINDS.join(', ')}`);
    const status = requireString(args, 'status');
    if (status !== 'ok' && status !== 'failed') throw new UsageError(`--status: "${status}" is not a status: use ok or failed`);
    const message = requireString(args, 'message');
    const { config } = loadConfigOption(args, io);
    const tracker = reportTracker(config, undefined);
    const body = `## ${kind} of ${config.name}: ${status === 'ok' ? 'ok' : 'FAILED'}\n\n${message}\n`;
    await publishReport(config, { environment: config.name, kind, healthy: status === 'ok', headline: message, body }, { io, tracker });
    return 0;
  },
});
