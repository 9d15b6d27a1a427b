import type { Command } from '../cli/command.js';

export const DRIFT_EXIT = { inSync: 0, drift: 1, error: 3 } as const;

export const driftCommand: Command = {
  name: 'drift',
  help: `drift (--env <name> | --config <file>) [--report] [--report-file <path>] [--assembly <dir>] [--manifests <dir>]

For every stack of the environment in the synthesized cloud assembly: CloudFormation
drift detection (DetectStackDrift, DescribeStackResourceDrifts) and the synthesized
template against the deployed one; then "kubectl diff" of the synthesized manifests
against the cluster (current kubeconfig context); then Harbor's garbage-collection
schedule against harbor.gc (harbor-gc --check). Run "npm run synth" first.
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
  Harbor       HARBOR_PLATFORM_HARBOR_USERNAME and HARBOR_PLATFORM_HARBOR_PASSWORD: a system robot
               account with only read on garbage-collection (GET /api/v2.0/system/gc/schedule);
               without them the GC schedule is reported as not checked

options:
  --env <name>        an environment in environments/
  --config <file>     an environment file anywhere
  --report            open, update or close the environment's drift issue (needs GITHUB_TOKEN)
  --report-file <path>  also write the report as JSON, for a later step that publishes it
                  (report --from <path>): the command itself then needs no GitHub token
  --assembly <dir>    cloud assembly (default apps/platform/cdk.out)
  --manifests <dir>   manifests (default apps/platform/dist/<env>/manifests)

exit status: 0 no drift, 1 drift found, 2 usage, 3 a check could not run (not drift)`,
  options: { 'env': { type: 'string' }, 'config': { type: 'string' }, 'report': { type: 'boolean' }, 'report-file': { type: 'string' }, 'assembly': { type: 'string' }, 'manifests': { type: 'string' } },
  // The implementation (Kubernetes, AWS and GitHub clients) loads only when this command runs.
  run: async (args, io) => (await import('./drift-run.js')).runDriftCommand(args, io),
};
