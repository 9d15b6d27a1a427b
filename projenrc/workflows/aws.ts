import type { JobStep } from 'projen/lib/github/workflows-model';
import { CLI } from './steps';

/**
 * Which role a job assumes: `deploy` (deploys and restores, in the environment's
 * reviewer-gated GitHub environment) or `operations` (drift, drill, in the plan's operations
 * GitHub environment). packages/infra creates both; the plan names them.
 */
export type RoleKind = 'deploy' | 'operations';

/**
 * Writes the environment's plan to `$RUNNER_TEMP/plan.json` and its AWS target to the step's
 * outputs (`steps.target.outputs.<key>`): account, region, role-arn (of `role`), cluster,
 * harbor-url, harbor-namespace, harbor-hostname, hosted-zone-id, as
 * `harbor-platform github-outputs --role` prints them from the plan (the config is the only source).
 */
export function resolveTarget(envExpr: string, role: RoleKind): JobStep {
  return {
    id: 'target',
    name: 'Resolve the AWS target from the plan',
    env: { HP_ENV: envExpr },
    run: [
      `${CLI} plan --env "$HP_ENV" --json > "$RUNNER_TEMP/plan.json"`,
      `${CLI} github-outputs --plan "$RUNNER_TEMP/plan.json" --role ${role} >> "$GITHUB_OUTPUT"`,
    ].join('\n'),
  };
}

/**
 * Assumes the role for as long as the job may run (`timeoutMinutes`): the role's maximum
 * session covers its longest job, so credentials never expire before the job's timeout.
 * @see https://github.com/aws-actions/configure-aws-credentials#options
 */
export function awsCredentials(session: string, role: RoleKind, timeoutMinutes: number): JobStep {
  return {
    name: `Assume the ${role} role (GitHub OIDC)`,
    uses: 'aws-actions/configure-aws-credentials',
    with: {
      'role-to-assume': '${{ steps.target.outputs.role-arn }}',
      'aws-region': '${{ steps.target.outputs.region }}',
      'role-session-name': `${session}-\${{ github.run_id }}`,
      'role-duration-seconds': timeoutMinutes * 60,
      'allowed-account-ids': '${{ steps.target.outputs.account }}',
    },
  };
}
