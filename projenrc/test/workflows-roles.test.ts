/**
 * Which GitHub environment each role-assuming job runs in and which role it assumes,
 * checked against every environment's plan (packages/config derives both once; packages/infra
 * creates the roles with the same names and trusts): a job's token can only assume a role
 * that trusts its GitHub environment.
 */
import { ROLE_WORKFLOWS } from '@harbor-platform/config';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, forEnvironment, loadWorkflow, planOf, targetOutputs, workflowFiles } from './support/workflows.js';

interface RoleJob {
  readonly where: string;
  /** The job's `environment:` and the target step's HP_ENV, as written (literals or expressions). */
  readonly environment: string;
  readonly envExpr: string;
  readonly script: string;
  readonly timeoutMinutes: number;
  /** `role-duration-seconds` of its configure-aws-credentials step. */
  readonly roleDurationSeconds: number;
}

/** Every job with a `target` step (the jobs that assume a role). */
function roleJobs(): RoleJob[] {
  const jobs: RoleJob[] = [];
  for (const file of workflowFiles()) {
    const wf = loadWorkflow(file);
    for (const [id, job] of Object.entries<any>(wf.jobs)) {
      const target = (job.steps ?? []).find((s: any) => s.id === 'target');
      const credentials = (job.steps ?? []).find((s: any) => String(s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'));
      if (target) {
        jobs.push({
          where: `${file} ${id}`,
          environment: job.environment,
          envExpr: target.env.HP_ENV,
          script: target.run,
          timeoutMinutes: job['timeout-minutes'],
          roleDurationSeconds: Number(credentials?.with?.['role-duration-seconds']),
        });
      }
    }
  }
  return jobs;
}

/** The environments a job runs for: one literal, or each of the matrix or input choices. */
const environmentsOf = (j: RoleJob) => (/\$\{\{/.test(j.envExpr) ? ENVIRONMENTS : [j.envExpr]);

/** The target step's outputs for `env`, from its real plan. */
const resolvedOutputs = (j: RoleJob, env: string) => targetOutputs(j.script, planOf(env), env);

const jobs = roleJobs();
const cases = jobs.flatMap((j) => environmentsOf(j).map((env) => [`${j.where} (${env})`, j, env] as const));

describe('GitHub environments and roles of the workflows', () => {
  it("each role's GitHub environment is the one the plan names (the workflows look it up, they never derive it)", () => {
    for (const env of ENVIRONMENTS) {
      const plan = planOf(env);
      expect(plan.github.environment).toBe(plan.names.githubEnvironments.deploy);
      expect(plan.github.operationsEnvironment).toBe(plan.names.githubEnvironments.operations);
    }
  });

  it.each(cases)("%s: assumes the role that trusts the job's GitHub environment, by the ARN in the plan", (_where, job, env) => {
    const plan = planOf(env);
    const outputs = resolvedOutputs(job, env);
    const environment = forEnvironment(job.environment, env);
    if (outputs['role-arn'] === plan.github.deployRole.arn) {expect(environment).toBe(plan.github.environment);} else {
      expect(outputs['role-arn']).toBe(plan.github.operationsRole.arn);
      expect(environment).toBe(plan.github.operationsEnvironment);
    }
    expect(outputs).toMatchObject({ account: plan.aws.account, region: plan.aws.region });
  });

  it('drift and the drill run in the operations environments with the operations role; deploys (with smoke) and restores keep the deploy role behind the reviewers', () => {
    const roleOf = (where: string) => {
      const j = jobs.find((x) => x.where === where)!;
      return { environment: forEnvironment(j.environment, 'prod'), arn: resolvedOutputs(j, 'prod')['role-arn'] };
    };
    const prod = planOf('prod').github;
    const { deploy, operations } = planOf('prod').names.githubEnvironments;
    expect(roleOf('deploy.yml deploy-prod')).toEqual({ environment: deploy, arn: prod.deployRole.arn });
    expect(roleOf('deploy.yml smoke-prod')).toEqual({ environment: deploy, arn: prod.deployRole.arn });
    expect(roleOf('restore.yml restore')).toEqual({ environment: deploy, arn: prod.deployRole.arn });
    expect(roleOf('drift.yml drift')).toEqual({ environment: operations, arn: prod.operationsRole.arn });
    expect(roleOf('restore-drill.yml drill')).toEqual({ environment: operations, arn: prod.operationsRole.arn });
    expect(jobs.map((j) => j.where).sort()).toEqual(['deploy.yml deploy-dev', 'deploy.yml deploy-prod', 'deploy.yml smoke-dev', 'deploy.yml smoke-prod', 'drift.yml drift', 'restore-drill.yml drill', 'restore.yml restore']);
  });

  it("each role-assuming job is a workflow its role trusts (ROLE_WORKFLOWS), on main, in the subject's environment", () => {
    for (const j of jobs) {
      const file = j.where.split(' ')[0]!;
      const entry = Object.values(ROLE_WORKFLOWS).find((w) => w.file === file);
      expect(entry, `${file} is in ROLE_WORKFLOWS`).toBeDefined();
      for (const env of environmentsOf(j)) {
        const plan = planOf(env).github;
        const role = resolvedOutputs(j, env)['role-arn'] === plan.deployRole.arn ? plan.deployRole : plan.operationsRole;
        expect(role === plan.deployRole ? 'deploy' : 'operations', j.where).toBe(entry!.role);
        const subject = role.subjects.find((s) => s.endsWith(`/.github/workflows/${file}@refs/heads/main`));
        expect(subject, `${j.where} (${env}) is trusted`).toBeDefined();
        expect(subject).toContain(`:environment:${forEnvironment(j.environment, env)}:`);
      }
    }
  }, 60_000);

  it('requests a session as long as the job may run, within the maximum session of its role', () => {
    for (const j of jobs) {
      const file = j.where.split(' ')[0]!;
      const entry = Object.values(ROLE_WORKFLOWS).find((w) => w.file === file)!;
      expect(j.timeoutMinutes, j.where).toBe(entry.timeoutMinutes);
      expect(j.roleDurationSeconds, j.where).toBeGreaterThanOrEqual(j.timeoutMinutes * 60);
      for (const env of environmentsOf(j)) {
        const plan = planOf(env).github;
        const role = entry.role === 'deploy' ? plan.deployRole : plan.operationsRole;
        expect(j.roleDurationSeconds, `${j.where} in ${env}`).toBeLessThanOrEqual(role.maxSessionSeconds);
      }
    }
  });
});
