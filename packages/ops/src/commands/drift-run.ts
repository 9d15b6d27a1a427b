import { existsSync } from 'node:fs';
import { planEnvironment } from '@harbor-platform/config';
import { DRIFT_EXIT } from './drift.js';
import { CloudFormationInspector } from '../aws/cloudformation.js';
import { CommandError } from '../cli/command.js';
import type { Io, ParsedArgs } from '../cli/command.js';
import { loadConfigOption } from '../cli/environment.js';
import { synthPaths } from '../cli/paths.js';
import { kubectlDiff } from '../drift/kubectl-diff.js';
import { driftMarkdown } from '../drift/report.js';
import { checkDrift } from '../drift/run.js';
import { checkGithubSettings } from '../github/settings-check.js';
import { checkGcDrift } from '../harbor/gc.js';
import { publishReport } from '../report/publish.js';

/** `harbor-platform drift`: see the command's help in drift.ts. */
export async function runDriftCommand(args: ParsedArgs, io: Io): Promise<number> {
  const { config } = loadConfigOption(args, io);
  const defaults = synthPaths(config.name);
  const assemblyDir = (args.values.assembly as string | undefined) ?? defaults.assemblyDir;
  const manifestsDir = (args.values.manifests as string | undefined) ?? defaults.manifestsDir;
  if (!existsSync(manifestsDir)) throw new CommandError(`no manifests at ${manifestsDir}: run "npm run synth" first or pass --manifests <dir>`, DRIFT_EXIT.error);
  let result;
  try {
    result = await checkDrift({
      environment: config.name,
      assemblyDir,
      target: { account: config.aws.account, region: config.aws.region },
      inspector: new CloudFormationInspector({ region: config.aws.region, progress: io.err }),
      diffManifests: () => kubectlDiff({ path: manifestsDir }),
      checkGithub: () => checkGithubSettings(config, process.env),
      checkHarborGc: () => {
        const harbor = planEnvironment(config).harbor;
        return checkGcDrift(harbor.gc, harbor.url, process.env);
      },
      progress: io.err,
    });
  } catch (err) {
    throw new CommandError(`could not check drift of ${config.name}: ${(err as Error).message}`, DRIFT_EXIT.error);
  }
  const { findings, verdict } = result;
  const headline = verdict.status === 'in-sync' ? 'no drift' : [...verdict.errors, ...verdict.drifted].join('; ');
  await publishReport(config, { environment: config.name, kind: 'drift', healthy: verdict.status === 'in-sync', headline, body: driftMarkdown(findings, verdict) }, { io, toIssue: Boolean(args.values.report), reportFile: args.values['report-file'] as string | undefined });
  return verdict.status === 'in-sync' ? DRIFT_EXIT.inSync : verdict.status === 'drift' ? DRIFT_EXIT.drift : DRIFT_EXIT.error;
}
