import { existsSync } from 'node:fs';
import { CloudFormationInspector } from '../aws/cloudformation.js';
import type { Command } from '../cli/command.js';
import { CommandError } from '../cli/command.js';
import { loadConfigOption } from '../cli/environment.js';
import { synthPaths } from '../cli/paths.js';
import { kubectlDiff } from '../drift/kubectl-diff.js';
import { driftMarkdown } from '../drift/report.js';
import { checkDrift } from '../drift/run.js';
import { publishReport } from '../report/publish.js';

/** Exit codes: drift is not an error, and an error is not drift. */
export const DRIFT_EXIT = { inSync: 0, drift: 1, error: 3 } as const;

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Compare an environment with its code: CloudFormation drift, template diff, kubectl diff',
  help: `drift (--env <name> | --config <file>) [--report] [--assembly <dir>] [--manifests <dir>]

For every stack of the environment in the synthesized cloud assembly: CloudFormation
drift detection (DetectStackDrift, DescribeStackResourceDrifts) and the synthesized
template against the deployed one; then "kubectl diff" of the synthesized manifests
against the cluster (current kubeconfig context). Run "npm run synth" first.
Writes a summary to stdout and, in GitHub Actions, to the job summary.

access (the nightly workflow runs it with the operations role, harbor-platform-<env>-github-operations):
  AWS          cloudformation:DetectStackDrift, DetectStackResourceDrift, DescribeStackDriftDetectionStatus,
               DescribeStackResourceDrifts, DescribeStacks and GetTemplate on the environment's stacks, the
               read-only calls drift detection makes per resource type, eks:DescribeCluster
  Kubernetes   group harbor-platform:operations: get, list, patch and create on exactly the kinds of the
               synthesized manifests, in their namespaces (RBAC harbor-platform-operations-diff); kubectl
               diff sends each object as a server-side dry run, and the ValidatingAdmissionPolicy
               harbor-platform-operations-dry-run-only denies every write of the group that is not a
               dry run (except the restore drill's), so drift can compare but never change anything
  GitHub       with --report, GITHUB_TOKEN with issues: write

options:
  --env <name>        an environment in environments/
  --config <file>     an environment file anywhere
  --report            open, update or close the environment's drift issue (needs GITHUB_TOKEN)
  --assembly <dir>    cloud assembly (default apps/platform/cdk.out)
  --manifests <dir>   manifests (default apps/platform/dist/<env>/manifests)

exit status: 0 no drift, 1 drift found, 2 usage, 3 a check could not run (not drift)`,
  options: { env: { type: 'string' }, config: { type: 'string' }, report: { type: 'boolean' }, assembly: { type: 'string' }, manifests: { type: 'string' } },
  async run(args, io) {
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
        progress: io.err,
      });
    } catch (err) {
      throw new CommandError(`could not check drift of ${config.name}: ${(err as Error).message}`, DRIFT_EXIT.error);
    }
    const { findings, verdict } = result;
    const headline = verdict.status === 'in-sync' ? 'no drift' : [...verdict.errors, ...verdict.drifted].join('; ');
    await publishReport(config, { environment: config.name, kind: 'drift', healthy: verdict.status === 'in-sync', headline, body: driftMarkdown(findings, verdict) }, { io, toIssue: Boolean(args.values.report) });
    return verdict.status === 'in-sync' ? DRIFT_EXIT.inSync : verdict.status === 'drift' ? DRIFT_EXIT.drift : DRIFT_EXIT.error;
  },
};
