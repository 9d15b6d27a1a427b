import { Component, type Project } from 'projen';
import { awsCredentials, resolveTarget } from './aws';
import { connect, vpcRunner } from './cluster';
import { HARBOR_DRIFT_ROBOT_SECRETS } from './harbor';
import { dispatchInput, matrixOf } from './matrix';
import { environmentNames, perEnvironment, tableOf } from './plans';
import { reportJob, uploadReport } from './report';
import { assumesRole, CLI, prepare, REPORT_FILE, type WorkflowProps } from './steps';
import { createWorkflow } from './workflow-file';

export interface DriftWorkflowProps extends WorkflowProps {
  /** When the nightly run starts (cron, UTC). @default '0 4 * * *' */
  readonly schedule?: string;
  /**
   * `timeout-minutes` of the drift job and its role session.
   * @default plans.roleJobMinutes.drift (ROLE_WORKFLOWS of packages/config)
   */
  readonly timeoutMinutes?: number;
}

const ENV = '${{ matrix.env }}';

/**
 * drift.yml: nightly and on dispatch, per environment on its VPC runner with the operations
 * role, compares the synthesized assembly and manifests with what runs, and reports on the
 * environment's issue from a job that holds no role.
 */
export class DriftWorkflow extends Component {
  constructor(project: Project, props: DriftWorkflowProps) {
    super(project, 'DriftWorkflow');
    const { plans, workspaces } = props;
    const environments = environmentNames(plans);
    const minutes = props.timeoutMinutes ?? plans.roleJobMinutes.drift;
    const wf = createWorkflow(project, 'drift');
    wf.on({ schedule: [{ cron: props.schedule ?? '0 4 * * *' }], workflowDispatch: dispatchInput(environments) });
    wf.addJobs({
      drift: {
        name: `Drift of ${ENV}`,
        runsOn: vpcRunner(plans, ENV),
        strategy: matrixOf(environments),
        // No reviewers: the nightly run of prod never waits for a human (the operations role only reads).
        environment: perEnvironment(tableOf(plans, (p) => p.names.githubEnvironments.operations), ENV, 'operations GitHub environment'),
        concurrency: { 'group': `drift-${ENV}`, 'cancel-in-progress': false },
        permissions: assumesRole,
        timeoutMinutes: minutes,
        steps: [
          ...prepare(workspaces),
          { name: 'Synthesize (assembly and manifests to compare)', run: 'npm run synth' },
          resolveTarget(ENV, 'operations'),
          awsCredentials('drift', 'operations', minutes),
          ...connect,
          {
            name: 'Detect drift',
            // A read-only token of the repository's settings (OIDC subject template, environments), not the issue-writing one.
            env: {
              HP_ENV: ENV,
              HP_REPORT: REPORT_FILE,
              GITHUB_SETTINGS_TOKEN: '${{ secrets.GITHUB_SETTINGS_TOKEN }}',
              HARBOR_PLATFORM_HARBOR_USERNAME: `\${{ secrets.${HARBOR_DRIFT_ROBOT_SECRETS.username} }}`,
              HARBOR_PLATFORM_HARBOR_PASSWORD: `\${{ secrets.${HARBOR_DRIFT_ROBOT_SECRETS.password} }}`,
            },
            run: `${CLI} drift --env "$HP_ENV" --report-file "$HP_REPORT"`,
          },
          uploadReport(ENV),
        ],
      },
      report: reportJob({ kind: 'drift', needs: 'drift', envExpr: ENV, workspaces, extra: { strategy: matrixOf(environments) } }),
    });
  }
}
