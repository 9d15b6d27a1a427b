import { Component, type Project } from 'projen';
import { awsCredentials, resolveTarget } from './aws';
import { connect, vpcRunner } from './cluster';
import { dispatchInput, scheduledMatrixOf } from './matrix';
import { environmentNames, perEnvironment, tableOf } from './plans';
import { reportJob, uploadReport } from './report';
import { assumesRole, CLI, prepare, REPORT_FILE, type WorkflowProps } from './steps';
import { createWorkflow } from './workflow-file';

export interface DrillWorkflowProps extends WorkflowProps {
  /**
   * `timeout-minutes` of the drill job and its role session: above the longest drill timeout
   * of the environments (`velero.drill.timeoutMinutes`, at most 90 today) plus clean-up.
   * @default plans.roleJobMinutes.drill (ROLE_WORKFLOWS of packages/config)
   */
  readonly timeoutMinutes?: number;
}

const ENV = '${{ matrix.env }}';

/**
 * restore-drill.yml: each environment on its own `velero.drill.cron` (one schedule per distinct
 * cron, UTC like GitHub's) and on dispatch, restores the latest backup into the drill
 * namespaces on the environment's VPC runner with the operations role, verifies and measures
 * RTO/RPO, always cleans up, and reports from a job that holds no role.
 */
export class DrillWorkflow extends Component {
  constructor(project: Project, props: DrillWorkflowProps) {
    super(project, 'DrillWorkflow');
    const { plans, workspaces } = props;
    const environments = environmentNames(plans);
    const crons = tableOf(plans, (p) => p.drillCron);
    const minutes = props.timeoutMinutes ?? plans.roleJobMinutes.drill;
    const wf = createWorkflow(project, 'restore-drill');
    const schedules = [...new Set(Object.values(crons))].sort();
    wf.on({ schedule: schedules.map((cron) => ({ cron })), workflowDispatch: dispatchInput(environments) });
    wf.addJobs({
      drill: {
        name: `Restore drill of ${ENV}`,
        runsOn: vpcRunner(plans, ENV),
        strategy: scheduledMatrixOf(environments, crons),
        // No reviewers: the operations role writes only into the drill namespaces and the drill's own objects.
        environment: perEnvironment(tableOf(plans, (p) => p.names.githubEnvironments.operations), ENV, 'operations GitHub environment'),
        concurrency: { 'group': `drill-${ENV}`, 'cancel-in-progress': false },
        permissions: assumesRole,
        timeoutMinutes: minutes,
        env: { HP_ENV: ENV },
        steps: [
          ...prepare(workspaces),
          resolveTarget(ENV, 'operations'),
          awsCredentials('drill', 'operations', minutes),
          ...connect,
          { name: 'Restore, verify and measure RTO/RPO', env: { HP_REPORT: REPORT_FILE }, run: `${CLI} drill --env "$HP_ENV" --report-file "$HP_REPORT"` },
          // Always, even after a crash or a cancel: drill namespaces must never outlive the run.
          { name: 'Clean up the drill namespaces and volumes', if: 'always()', run: `${CLI} drill --env "$HP_ENV" --cleanup-only` },
          uploadReport(ENV),
        ],
      },
      report: reportJob({ kind: 'drill', needs: 'drill', envExpr: ENV, workspaces, extra: { strategy: scheduledMatrixOf(environments, crons) } }),
    });
  }
}
