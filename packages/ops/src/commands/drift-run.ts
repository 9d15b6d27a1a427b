import { existsSync } from 'node:fs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { planEnvironment, type EnvironmentPlan } from '@harbor-platform/config';
import { DRIFT_EXIT, type DRIFT_GROUPS, type DRIFT_OPTIONS } from './drift-options.js';
import { CloudFormationInspector } from '../aws/cloudformation.js';
import { CommandError } from '../cli/command.js';
import type { Io } from '../cli/command.js';
import type { CommandArgs } from '../cli/declare.js';
import { loadConfigOption } from '../cli/environment.js';
import { synthPaths } from '../cli/paths.js';
import { reportTracker } from '../cli/report-tracker.js';
import { withDeployedImages } from '../drift/deployed-images.js';
import { kubectlDiff, type KubectlDiffResult } from '../drift/kubectl-diff.js';
import { driftMarkdown } from '../drift/report.js';
import { checkDrift } from '../drift/run.js';
import { DriftError } from '../errors.js';
import { checkGithubSettings } from '../github/settings-check.js';
import { checkGcDrift } from '../harbor/gc.js';
import { publishReport } from '../report/publish.js';

/** `harbor-platform drift`: see the command's help in drift.ts. */
export async function runDriftCommand(args: CommandArgs<typeof DRIFT_OPTIONS, typeof DRIFT_GROUPS>, io: Io): Promise<number> {
  const { config } = loadConfigOption(args, io);
  const tracker = args.values.report ? reportTracker(config, '--report') : undefined;
  const plan = planEnvironment(config);
  const defaults = synthPaths(config.name);
  const assemblyDir = args.values.assembly ?? defaults.assemblyDir;
  const manifestsDir = args.values.manifests ?? defaults.manifestsDir;
  if (!existsSync(manifestsDir)) throw new CommandError(`no manifests at ${manifestsDir}: run "npm run synth" first or pass --manifests <dir>`, DRIFT_EXIT.error);
  let result;
  try {
    result = await checkDrift({
      environment: config.name,
      stacks: plan.names.stacks,
      assemblyDir,
      target: { account: config.aws.account, region: config.aws.region },
      inspector: new CloudFormationInspector({ region: config.aws.region, progress: io.err }),
      diffManifests: () => diffDeployedManifests(manifestsDir, plan),
      checkGithub: () => checkGithubSettings(plan.github, config.github.requireReviewers, process.env),
      checkHarborGc: () => checkGcDrift(plan.harbor.gc, plan.harbor.url, process.env),
      progress: io.err,
    });
  } catch (err) {
    throw new CommandError(`could not check drift of ${config.name}: ${(err as Error).message}`, DRIFT_EXIT.error);
  }
  const { findings, verdict } = result;
  const headline = verdict.status === 'in-sync' ? 'no drift' : [...verdict.errors, ...verdict.drifted].join('; ');
  await publishReport(config, { environment: config.name, kind: 'drift', healthy: verdict.status === 'in-sync', headline, body: driftMarkdown(findings, verdict) }, { io, tracker, reportFile: args.values['report-file'] });
  return verdict.status === 'in-sync' ? DRIFT_EXIT.inSync : verdict.status === 'drift' ? DRIFT_EXIT.drift : DRIFT_EXIT.error;
}

/**
 * `kubectl diff` of the manifests with the built images' digests the last deploy recorded in
 * SSM (see withDeployedImages); a digest that cannot be read is a check that could not run.
 */
async function diffDeployedManifests(dir: string, plan: Pick<EnvironmentPlan, 'aws' | 'images'>): Promise<KubectlDiffResult> {
  const ssm = new SSMClient({ region: plan.aws.region });
  const readDigest = async (name: string) => {
    try {
      return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value ?? '';
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === 'ParameterNotFound') throw new DriftError(`SSM parameter ${name} does not exist: deploy once so its build step writes the image digest`);
      throw new DriftError(`could not read SSM parameter ${name} (ssm:GetParameter): ${e.message ?? String(err)}`);
    }
  };
  let manifests;
  try {
    manifests = await withDeployedImages(dir, plan.images, readDigest);
  } catch (err) {
    return { outcome: 'failed', exitCode: -1, reason: (err as Error).message };
  }
  try {
    return await kubectlDiff({ path: manifests.path });
  } finally {
    manifests.cleanup();
  }
}
