import { DRIFT_GROUPS, DRIFT_OPTIONS } from './drift-options.js';
import { defineCommand } from '../cli/declare.js';
import { KUBECONFIG_VARIABLE } from '../cli/environment-variables.js';
import { HARBOR_PASSWORD_ENV, HARBOR_USERNAME_ENV } from '../harbor/api.js';

export const driftCommand = defineCommand({
  name: 'drift',
  description: `For every stack of the environment in the synthesized cloud assembly: CloudFormation
drift detection (DetectStackDrift, DescribeStackResourceDrifts) and the synthesized
template against the deployed one; then "kubectl diff" of the synthesized manifests
against the cluster (current kubeconfig context); then Harbor's garbage-collection
schedule against harbor.gc (harbor-gc --check); then the GitHub repository's settings
against plan.github (github-setup --check: the OIDC subject template and the deploy
and operations environments), with the read-only token in GITHUB_SETTINGS_TOKEN;
without it, the report says the settings were not checked. Run "npm run synth" first.
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
  GitHub       GITHUB_SETTINGS_TOKEN: Administration (read) and Environments (read) of the repository;
               with --report, GITHUB_TOKEN (or GH_TOKEN) with issues: write
  Harbor       HARBOR_PLATFORM_HARBOR_USERNAME and HARBOR_PLATFORM_HARBOR_PASSWORD: a system robot
               account with only read on garbage-collection (GET /api/v2.0/system/gc/schedule);
               without them the GC schedule is reported as not checked`,
  groups: DRIFT_GROUPS,
  environment: [
    KUBECONFIG_VARIABLE,
    { name: 'HARBOR_PLATFORM_KUBECTL', description: 'the kubectl that runs "kubectl diff" (default kubectl on PATH)' },
    { name: 'GITHUB_SETTINGS_TOKEN', description: "a fine-grained token with Administration and Environments read on the\nconfig's repository, for the GitHub settings check (unset: not checked)" },
    { name: `${HARBOR_USERNAME_ENV}, ${HARBOR_PASSWORD_ENV}`, description: 'a system robot account that reads the GC schedule (unset: not checked)' },
  ],
  options: DRIFT_OPTIONS,
  exitStatus: '0 no drift, 1 drift found, 2 usage, 3 a check could not run (not drift)',
  // The implementation (Kubernetes, AWS and GitHub clients) loads only when this command runs.
  run: async (args, io) => (await import('./drift-run.js')).runDriftCommand(args, io),
});
