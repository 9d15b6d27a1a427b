import { Component, type Project } from 'projen';
import { awsCredentials, resolveTarget } from './aws';
import { connect, vpcRunner } from './cluster';
import { environmentNames, perEnvironment, tableOf } from './plans';
import { reportJob, uploadReport } from './report';
import { assumesRole, CLI, prepare, REPORT_FILE, RUNNER, type WorkflowProps } from './steps';
import { createWorkflow } from './workflow-file';

export interface RestoreWorkflowProps extends WorkflowProps {
  /**
   * `timeout-minutes` of the restore job and its role session.
   * @default plans.roleJobMinutes.restore (ROLE_WORKFLOWS of packages/config)
   */
  readonly timeoutMinutes?: number;
}

const ENV = '${{ inputs.environment }}';

/**
 * restore.yml: dispatched by hand with an environment, a Velero backup, the namespaces and a
 * confirmation (the environment's name again); behind the environment's reviewers with the
 * deploy role, takes a safety backup, restores and verifies, never overlapping a deploy.
 */
export class RestoreWorkflow extends Component {
  constructor(project: Project, props: RestoreWorkflowProps) {
    super(project, 'RestoreWorkflow');
    const { plans, workspaces } = props;
    const minutes = props.timeoutMinutes ?? plans.roleJobMinutes.restore;
    const wf = createWorkflow(project, 'restore');
    wf.on({
      workflowDispatch: {
        inputs: {
          environment: { description: 'Environment to restore', type: 'choice', required: true, options: environmentNames(plans) },
          backup: { description: 'Name of the Velero backup to restore', type: 'string', required: true },
          namespaces: { description: 'Comma-separated namespaces to restore (for example harbor,minio)', type: 'string', required: true },
          confirm: { description: 'Type the environment name again to confirm', type: 'string', required: true },
        },
      },
    });
    // Inputs reach the shell as variables, never spliced into a script.
    const inputs = {
      HP_ENV: ENV,
      HP_BACKUP: '${{ inputs.backup }}',
      HP_NAMESPACES: '${{ inputs.namespaces }}',
      HP_CONFIRM: '${{ inputs.confirm }}',
    };
    wf.addJobs({
      confirm: {
        name: 'Check the confirmation',
        runsOn: RUNNER,
        permissions: {},
        timeoutMinutes: 5,
        env: inputs,
        steps: [
          {
            name: 'The confirmation must equal the environment',
            run: 'if [ "$HP_CONFIRM" != "$HP_ENV" ]; then\n  echo "::error::confirmation \\"$HP_CONFIRM\\" does not equal the environment \\"$HP_ENV\\"; nothing was restored"\n  exit 1\nfi',
          },
        ],
      },
      restore: {
        name: `Restore ${ENV}`,
        needs: ['confirm'],
        runsOn: vpcRunner(plans, ENV),
        // Behind the reviewers, with the deploy role: a restore deletes and re-creates the live namespaces.
        environment: perEnvironment(tableOf(plans, (p) => p.names.githubEnvironments.deploy), ENV, 'deploy GitHub environment'),
        // Shares the deploy group: a restore and a deploy of one environment never overlap.
        concurrency: { 'group': `deploy-${ENV}`, 'cancel-in-progress': false },
        permissions: assumesRole,
        timeoutMinutes: minutes,
        env: inputs,
        steps: [
          ...prepare(workspaces),
          resolveTarget(ENV, 'deploy'),
          awsCredentials('restore', 'deploy', minutes),
          ...connect,
          {
            name: 'Safety backup, restore and verify',
            env: { HP_REPORT: REPORT_FILE },
            run: `${CLI} restore --env "$HP_ENV" --backup "$HP_BACKUP" --namespaces "$HP_NAMESPACES" --confirm "$HP_CONFIRM" --report-file "$HP_REPORT"`,
          },
          uploadReport(ENV),
        ],
      },
      report: reportJob({ kind: 'restore', needs: 'restore', envExpr: ENV, workspaces }),
    });
  }
}
