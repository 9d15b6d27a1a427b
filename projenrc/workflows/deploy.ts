import { Component, type Project } from 'projen';
import type { Job, JobStep } from 'projen/lib/github/workflows-model';
import { awsCredentials, resolveTarget } from './aws';
import { connect, vpcRunner } from './cluster';
import { harborGc, smoke, waitForHarborRecord } from './harbor';
import { buildImages, deployGithubStack, imageTools } from './images';
import { assumesRole, checkout, CLI, install, prepare, readOnly, RUNNER, setupNode, synthOutputs, type WorkflowProps } from './steps';
import { createWorkflow } from './workflow-file';
import { workspaceDir } from '../workspaces';

export interface DeployWorkflowProps extends WorkflowProps {
  /** Environments in deploy order, each deployed and smoke tested before the next; each must have a plan. */
  readonly order: readonly string[];
  /**
   * `timeout-minutes` of the deploy and smoke jobs, and their role sessions.
   * @default plans.roleJobMinutes.deploy (ROLE_WORKFLOWS of packages/config, which sets the role's maximum session)
   */
  readonly timeoutMinutes?: number;
  /** `timeout-minutes` of the synth job. @default 30 */
  readonly synthTimeoutMinutes?: number;
  /** Days the cloud assembly is kept: a later deploy of prod may still want what dev was tested with. @default 30 */
  readonly assemblyRetentionDays?: number;
}

const ASSEMBLY_ARTIFACT = 'cloud-assembly';
/** The platform stack's output with MinIO's StatefulSets as deployed (packages/infra). */
const DEPLOYED_STATEFULSETS_OUTPUT = 'DeployedMinioStatefulSets';

/**
 * deploy.yml: on a push to main, synthesizes once, then for each environment in `order` a
 * deploy job (the GitHub stack, the images, the platform stack, on a GitHub-hosted runner) and a
 * smoke job (DNS wait, smoke test, GC schedule, on the environment's VPC runner). In a
 * reviewer-gated GitHub environment each job waits for its own approval.
 */
export class DeployWorkflow extends Component {
  constructor(project: Project, props: DeployWorkflowProps) {
    super(project, 'DeployWorkflow');
    const { plans, workspaces, order } = props;
    const minutes = props.timeoutMinutes ?? plans.roleJobMinutes.deploy;
    const appDir = workspaceDir(workspaces.platform);
    for (const env of order) {
      if (!plans.environments[env]) throw new Error(`projenrc/workflows/deploy.ts: the deploy order names "${env}" but environments/ has no such environment (known: ${Object.keys(plans.environments).join(', ')})`);
    }
    const wf = createWorkflow(project, 'deploy');
    wf.on({ push: { branches: ['main'] } });
    // One run at a time, from synth to the last environment: a newer push waits, and replaces
    // an older one still waiting (newest first); a running deploy is never cancelled. The
    // deploy jobs also hold their environment's group, which a restore of it shares.
    wf.file!.addOverride('concurrency', { 'group': 'deploy', 'cancel-in-progress': false });
    const jobs: Record<string, Job> = {
      synth: {
        name: 'Synthesize once',
        runsOn: RUNNER,
        permissions: readOnly,
        timeoutMinutes: props.synthTimeoutMinutes ?? 30,
        steps: [
          checkout,
          setupNode,
          install,
          { name: 'Synthesize every environment', run: 'npm run synth' },
          {
            name: 'Upload the cloud assembly',
            uses: 'actions/upload-artifact',
            with: { 'name': ASSEMBLY_ARTIFACT, 'path': synthOutputs(workspaces).join('\n'), 'if-no-files-found': 'error', 'retention-days': props.assemblyRetentionDays ?? 30 },
          },
        ],
      },
    };
    let previous = 'synth';
    for (const env of order) {
      const names = plans.environments[env]!.names;
      // Two jobs: the deploy on a GitHub-hosted runner (it calls only AWS APIs, and its first run
      // creates the VPC runners), then smoke and GC on a VPC runner, where the private API answers.
      jobs[`deploy-${env}`] = {
        name: `Deploy ${env}`,
        needs: [...new Set(['synth', previous])],
        runsOn: RUNNER,
        environment: names.githubEnvironments.deploy,
        concurrency: { 'group': `deploy-${env}`, 'cancel-in-progress': false },
        permissions: assumesRole,
        timeoutMinutes: minutes,
        steps: [
          ...prepare(workspaces),
          // The artifact, not a fresh synth: prod gets exactly what dev was tested with.
          { name: 'Download the cloud assembly', uses: 'actions/download-artifact', with: { name: ASSEMBLY_ARTIFACT, path: appDir } },
          resolveTarget(env, 'deploy'),
          awsCredentials(`deploy-${env}`, 'deploy', minutes),
          refuseStatefulSetChanges(env, names.stacks.platform),
          // The GitHub stack (image repositories), then the images, then the platform stack that runs them by digest.
          deployGithubStack(env, names.stacks.github, appDir),
          ...imageTools,
          buildImages(plans.images),
          {
            name: `Deploy the ${env} platform stack`,
            workingDirectory: appDir,
            run: `npx --no cdk deploy --app cdk.out --require-approval never --progress events --exclusively '${names.stacks.platform}'`,
          },
        ],
      };
      jobs[`smoke-${env}`] = {
        name: `Smoke test ${env}`,
        needs: [`deploy-${env}`],
        runsOn: vpcRunner(plans, env),
        // With the deploy role: smoke logs in as Harbor's admin, a live secret the operations role cannot read.
        environment: names.githubEnvironments.deploy,
        concurrency: { 'group': `deploy-${env}`, 'cancel-in-progress': false },
        permissions: assumesRole,
        timeoutMinutes: minutes,
        steps: [
          ...prepare(workspaces),
          resolveTarget(env, 'deploy'),
          awsCredentials(`smoke-${env}`, 'deploy', minutes),
          ...connect,
          waitForHarborRecord(env),
          smoke(env, plans.harborAdminSecret),
          harborGc(env, plans.harborAdminSecret),
        ],
      };
      previous = `smoke-${env}`;
    }
    wf.addJobs(jobs);
  }
}

/**
 * Before a deploy, `plan --previous` against MinIO's StatefulSets as the deployed platform stack
 * (`stack`) reports them (its DeployedMinioStatefulSets output, packages/infra): a change of
 * claim templates or servers of an existing pool is refused here, with the runbook, instead of
 * failing halfway through the deploy. The first deploy (no stack, or no output yet) has
 * nothing to compare with and says so.
 */
function refuseStatefulSetChanges(env: string, stack: string): JobStep {
  const output = DEPLOYED_STATEFULSETS_OUTPUT;
  return {
    name: 'Refuse changes the deployed MinIO StatefulSets cannot take',
    run: [
      `if ! deployed="$(aws cloudformation describe-stacks --stack-name '${stack}' --query "Stacks[0].Outputs[?OutputKey=='${output}'].OutputValue" --output text 2>"$RUNNER_TEMP/describe.err")"; then`,
      `  if grep -q 'does not exist' "$RUNNER_TEMP/describe.err"; then echo "${stack} is not deployed yet: nothing to compare with"; exit 0; fi`,
      '  cat "$RUNNER_TEMP/describe.err" >&2; exit 1',
      'fi',
      `if [ -z "$deployed" ] || [ "$deployed" = None ]; then echo "${stack} has no ${output} output yet: nothing to compare with"; exit 0; fi`,
      `printf '%s' "$deployed" > "$RUNNER_TEMP/deployed-minio.json"`,
      // The refusal lines go to stdout, like the plan they replace: show them, not the plan.
      `if ! refused="$(${CLI} plan --env ${env} --previous "$RUNNER_TEMP/deployed-minio.json")"; then printf '%s\\n' "$refused" >&2; exit 1; fi`,
    ].join('\n'),
  };
}
