import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The names of one environment the workflows use: a slice of `plan.names` (`PlanNames` of
 * packages/config names.ts), never derived here.
 */
export interface WorkflowPlanNames {
  /** The CloudFormation stacks: `platform` (the cluster and releases) and `github` (roles, image repositories). */
  readonly stacks: { readonly platform: string; readonly github: string };
  /** The EKS cluster. */
  readonly cluster: string;
  /** GitHub environments: deploys and restores run in `deploy`; drift and the drill in `operations`. */
  readonly githubEnvironments: { readonly deploy: string; readonly operations: string };
  /** The CodeBuild project of the environment's VPC runners. */
  readonly runnerProject: string;
}

/** What the workflows read from one environment's plan. */
export interface EnvironmentWorkflowPlan {
  readonly names: WorkflowPlanNames;
  /** `plan.drill.cron` (`velero.drill.cron`, UTC), fields separated by one space as GitHub echoes it in `github.event.schedule`. */
  readonly drillCron: string;
}

/** The workflows that assume a role (ROLE_WORKFLOWS of packages/config github-identity.ts). */
export type RoleWorkflowName = 'deploy' | 'restore' | 'drift' | 'drill';

/**
 * Everything the workflow generator reads from packages/config, as `scripts/workflow-plans.ts`
 * prints it: the plan of every environment in environments/ and the constants the roles and
 * the deploy share with the workflows.
 */
export interface WorkflowPlans {
  /** By environment name (the file name in environments/). */
  readonly environments: Readonly<Record<string, EnvironmentWorkflowPlan>>;
  /**
   * `timeout-minutes` of each job that assumes a role (`ROLE_WORKFLOWS[w].timeoutMinutes`):
   * packages/infra gives each role a maximum session as long as its longest job.
   */
  readonly roleJobMinutes: Readonly<Record<RoleWorkflowName, number>>;
  /** The Secret External Secrets syncs Harbor's admin password into, and its key (HARBOR_SECRETS, HARBOR_SECRET_KEYS). */
  readonly harborAdminSecret: { readonly name: string; readonly key: string };
  /** The images the platform may build (`PLATFORM_IMAGE_NAMES`), in build order; `plan.images` has the same keys. */
  readonly images: readonly string[];
}

/**
 * Runs `scripts/workflow-plans.ts` of `rootDir` (tsx, from packages/config's sources: projen runs
 * before the packages are built) once and parses what it prints.
 * @throws Error with the script's own message (an invalid environment's `path: problem: fix` lines).
 */
export function readWorkflowPlans(rootDir: string): WorkflowPlans {
  try {
    // `--import tsx` resolves tsx from the root's node_modules (the working directory).
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(rootDir, 'scripts/workflow-plans.ts')], { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out) as WorkflowPlans;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`projenrc/workflows/plans.ts: could not read the environments' plans: ${(e.stderr || e.message).trim()}`);
  }
}

/** The environments' names, sorted. */
export function environmentNames(plans: WorkflowPlans): string[] {
  return Object.keys(plans.environments).sort();
}

/** `name -> pick(plan)` for every environment: the literal tables `perEnvironment` indexes. */
export function tableOf(plans: WorkflowPlans, pick: (plan: EnvironmentWorkflowPlan) => string): Record<string, string> {
  return Object.fromEntries(environmentNames(plans).map((env) => [env, pick(plans.environments[env]!)]));
}

/**
 * The value of `table` for an environment: `envExpr` is its name (the value, literally) or an
 * expression yielding one (`${{ matrix.env }}`, `${{ inputs.environment }}`), in which case an
 * expression that looks the value up in a literal table: GitHub has no other way to map a
 * run-time name to a planned one.
 * @throws Error when a literal name has no entry.
 */
export function perEnvironment(table: Record<string, string>, envExpr: string, what: string): string {
  const inner = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(envExpr)?.[1];
  if (inner) return `\${{ fromJSON('${JSON.stringify(table)}')[${inner}] }}`;
  const value = table[envExpr];
  if (value === undefined) throw new Error(`projenrc/workflows/plans.ts: no ${what} for environment "${envExpr}": known are ${Object.keys(table).join(', ')}`);
  return value;
}
