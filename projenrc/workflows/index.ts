import type { typescript } from 'projen';
import { BuildWorkflow } from './build';
import { DeployWorkflow } from './deploy';
import { DrillWorkflow } from './drill';
import { DriftWorkflow } from './drift';
import { readWorkflowPlans } from './plans';
import { RestoreWorkflow } from './restore';
import type { Workspaces } from '../workspaces';

export { BuildWorkflow, DeployWorkflow, DriftWorkflow, DrillWorkflow, RestoreWorkflow };
export { PINNED_ACTIONS } from './workflow-file';
export { HARBOR_DRIFT_ROBOT_SECRETS } from './harbor';
export { BUILD_IMAGES_STEP } from './images';

/** Deploys go through these environments in this order; each must have a file in environments/. */
export const DEPLOY_ORDER = ['dev', 'prod'] as const;

/**
 * The GitHub workflows (build, deploy, drift, restore-drill, restore), from the environments'
 * plans (read once, scripts/workflow-plans.ts) and the workspaces.
 */
export function addWorkflows(root: typescript.TypeScriptProject, workspaces: Workspaces) {
  const props = { plans: readWorkflowPlans(root.outdir), workspaces };
  new BuildWorkflow(root, props);
  new DeployWorkflow(root, { ...props, order: DEPLOY_ORDER });
  new DriftWorkflow(root, props);
  new DrillWorkflow(root, props);
  new RestoreWorkflow(root, props);
}
