import { UsageError, requireString, type Command } from '../cli/command.js';
import { loadConfigOption } from '../cli/environment.js';
import type { ReportKind } from '../report/issue.js';
import { publishReport } from '../report/publish.js';

const KINDS: ReportKind[] = ['drift', 'drill', 'restore'];

export const reportCommand: Command = {
  name: 'report',
  summary: "File a one-line result on an environment's drift, drill or restore issue",
  help: `report (--env <name> | --config <file>) --kind <drift|drill|restore> --status <ok|failed> --message <text>

For workflow steps that fail before a command could report itself: opens (or updates)
the environment's issue of that kind when --status is failed, closes it when ok.
Also writes the message to the GitHub job summary. Needs GITHUB_TOKEN.

options:
  --env <name>       an environment in environments/
  --config <file>    an environment file anywhere
  --kind <kind>      drift, drill or restore
  --status <status>  ok or failed
  --message <text>   what happened (one line; a link to the run helps)`,
  options: { env: { type: 'string' }, config: { type: 'string' }, kind: { type: 'string' }, status: { type: 'string' }, message: { type: 'string' } },
  async run(args, io) {
    const kind = requireString(args, 'kind') as ReportKind;
    if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got "${kind}"`);
    const status = requireString(args, 'status');
    if (status !== 'ok' && status !== 'failed') throw new UsageError(`--status must be ok or failed, got "${status}"`);
    const message = requireString(args, 'message');
    const { config } = loadConfigOption(args, io);
    const body = `## ${kind} of ${config.name}: ${status === 'ok' ? 'ok' : 'FAILED'}\n\n${message}\n`;
    await publishReport(config, { environment: config.name, kind, healthy: status === 'ok', headline: message, body }, { io, toIssue: true });
    return 0;
  },
};
