/**
 * The jobs of deploy, drift, restore-drill and restore: order, GitHub environments, concurrency,
 * schedules and who holds the issue-writing token, read from the generated workflows.
 */
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, forEnvironment, jobsOf, loadWorkflow as load, planOf, stepsOf, workflowText as text } from './support/workflows.js';

describe('deploy', () => {
  const wf = load('deploy.yml');
  const needs = (id: string): string[] => [wf.jobs[id].needs].flat();

  it('runs on pushes to main only', () => {
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
  });

  it('synthesizes once and uploads the assembly; deploy jobs never synthesize again', () => {
    expect(stepsOf(wf.jobs.synth).some((s) => s.run === 'npm run synth')).toBe(true);
    for (const id of ['deploy-dev', 'deploy-prod']) {
      expect(stepsOf(wf.jobs[id]).some((s) => /synth/.test(s.run ?? ''))).toBe(false);
      const download = stepsOf(wf.jobs[id]).find((s) => String(s.uses).startsWith('actions/download-artifact@'));
      const upload = stepsOf(wf.jobs.synth).find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
      expect(download.with.name).toBe(upload.with.name);
      expect(stepsOf(wf.jobs[id]).find((s) => /cdk deploy/.test(s.run ?? '')).run).toMatch(/--app cdk\.out/);
    }
  });

  it('orders dev -> prod, each deploy smoke tested in the job after it, so a failed dev smoke stops prod', () => {
    expect(needs('deploy-dev')).toEqual(['synth']);
    expect(needs('smoke-dev')).toEqual(['deploy-dev']);
    expect(needs('deploy-prod')).toEqual(['synth', 'smoke-dev']);
    expect(needs('smoke-prod')).toEqual(['deploy-prod']);
    for (const env of ['dev', 'prod']) {
      expect(stepsOf(wf.jobs[`deploy-${env}`]).some((s) => /cdk deploy/.test(s.run ?? ''))).toBe(true);
      expect(stepsOf(wf.jobs[`smoke-${env}`]).some((s) => /harbor-platform smoke/.test(s.run ?? ''))).toBe(true);
    }
    // No `if: always()` anywhere that could let prod run after a failure.
    for (const [, job] of jobsOf(wf)) expect(job.if).toBeUndefined();
  });

  it('deploys each environment in its GitHub environment; prod behind the prod environment (required reviewers)', () => {
    expect(wf.jobs['deploy-dev'].environment).toBe(planOf('dev').names.githubEnvironments.deploy);
    expect(wf.jobs['deploy-prod'].environment).toBe(planOf('prod').names.githubEnvironments.deploy);
    // Both stacks of prod, in that job: the GitHub stack (image repositories) first, the platform stack last (workflow-images.test.ts).
    const deploys = stepsOf(wf.jobs['deploy-prod']).filter((s) => /cdk deploy/.test(s.run ?? '')).map((s) => s.run.split(' ').pop());
    const stacks = planOf('prod').names.stacks;
    expect(deploys).toEqual([`'${stacks.github}'`, `'${stacks.platform}'`]);
  });

  it('is one concurrency group per environment across synth and deploy: newest first, never cancelling a running deploy', () => {
    // The run holds one group from synth to the last deploy: an older push never deploys after a newer one,
    // a newer one replaces an older one still waiting, and nothing running is cancelled.
    expect(wf.concurrency).toEqual({ 'group': 'deploy', 'cancel-in-progress': false });
    const groups = new Map<string, string[]>();
    for (const [id, job] of jobsOf(wf)) {
      if (!job.environment) continue;
      expect(job.concurrency['cancel-in-progress'], id).toBe(false);
      groups.set(job.concurrency.group, [...(groups.get(job.concurrency.group) ?? []), job.environment]);
    }
    // One group per environment (its deploy and its smoke test), shared with the restore workflow.
    expect([...groups.entries()].sort()).toEqual([['deploy-dev', ['dev', 'dev']], ['deploy-prod', ['prod', 'prod']]]);
    expect(load('restore.yml').jobs.restore.concurrency).toEqual({ 'group': 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false });
  });

  it('smoke tests the environment just deployed, at its Harbor URL from the plan, with a masked password', () => {
    for (const env of ['dev', 'prod']) {
      const steps = stepsOf(wf.jobs[`smoke-${env}`]);
      expect(wf.jobs[`smoke-${env}`].environment).toBe(planOf(env).names.githubEnvironments.deploy);
      expect(steps.find((s) => s.id === 'target').env.HP_ENV).toBe(env);
      const run = steps.map((s) => s.run ?? '').join('\n');
      expect(run).toMatch(/echo "::add-mask::\$password"\n.*harbor-platform smoke --registry "\$HP_HARBOR_URL"/);
    }
  });

  it("applies the environment's GC schedule through Harbor's API after the smoke test, as admin with a masked password", () => {
    for (const env of ['dev', 'prod']) {
      const steps = stepsOf(wf.jobs[`smoke-${env}`]);
      const smoke = steps.findIndex((s) => /harbor-platform smoke/.test(s.run ?? ''));
      const gc = steps.findIndex((s) => /harbor-platform harbor-gc/.test(s.run ?? ''));
      expect(gc).toBeGreaterThan(smoke);
      expect(steps[gc].env).toMatchObject({ HP_ENV: env, HP_HARBOR_URL: '${{ steps.target.outputs.harbor-url }}' });
      expect(steps[gc].run).toMatch(/echo "::add-mask::\$password"\nHARBOR_PLATFORM_HARBOR_USERNAME=admin HARBOR_PLATFORM_HARBOR_PASSWORD="\$password" .*harbor-platform harbor-gc --env "\$HP_ENV" --harbor-url "\$HP_HARBOR_URL"$/);
    }
  });
});

describe('drift and restore-drill', () => {
  it.each([
    ['drift.yml', 'drift', /harbor-platform drift --env "\$HP_ENV" --report-file "\$HP_REPORT"/],
    ['restore-drill.yml', 'drill', /harbor-platform drill --env "\$HP_ENV" --report-file "\$HP_REPORT"/],
  ])('%s runs nightly and on dispatch, per environment, reporting', (name, jobId, command) => {
    const wf = load(name);
    expect(wf.on.schedule.length).toBeGreaterThanOrEqual(1);
    expect(wf.on.workflow_dispatch.inputs.environment.options).toEqual(['all', ...ENVIRONMENTS]);
    const job = wf.jobs[jobId];
    expect(job.strategy['fail-fast']).toBe(false);
    expect(job.strategy.matrix.env).toContain(JSON.stringify(ENVIRONMENTS));
    expect(job.concurrency['cancel-in-progress']).toBe(false);
    expect(job.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(stepsOf(job).map((s) => s.run ?? '').join('\n')).toMatch(command);
    // The reporting job runs once per environment too, after every outcome of the command's job.
    expect(wf.jobs.report.strategy.matrix.env).toContain(JSON.stringify(ENVIRONMENTS));
    expect(wf.jobs.report.needs).toBe(jobId);
  });

  it("drift reads Harbor's GC schedule with the robot account of the operations environment, never the admin password", () => {
    const step = stepsOf(load('drift.yml').jobs.drift).find((s) => /harbor-platform drift/.test(s.run ?? ''));
    expect(step.env).toMatchObject({ HARBOR_PLATFORM_HARBOR_USERNAME: '${{ secrets.HARBOR_DRIFT_ROBOT_NAME }}', HARBOR_PLATFORM_HARBOR_PASSWORD: '${{ secrets.HARBOR_DRIFT_ROBOT_SECRET }}' });
    expect(text('drift.yml')).not.toMatch(/harbor-admin-password|kubectl get secret/);
  });

  it('restore-drill runs each environment on its own velero.drill.cron: one schedule per cron, the job picking the environments of the cron that fired', () => {
    const crons = Object.fromEntries(ENVIRONMENTS.map((env) => [env, planOf(env).drill.cron]));
    const wf = load('restore-drill.yml');
    expect(wf.on.schedule.map((s: { cron: string }) => s.cron).sort()).toEqual([...new Set(Object.values(crons))].sort());
    for (const jobId of ['drill', 'report']) {
      const matrix: string = wf.jobs[jobId].strategy.matrix.env;
      const m = /^\$\{\{ github\.event_name == 'schedule' && fromJSON\('(\{.*?\})'\)\[github\.event\.schedule\] \|\| fromJSON\(github\.event_name == 'workflow_dispatch' .*'(\[.*\])'\) \}\}$/.exec(matrix);
      expect(m, matrix).not.toBeNull();
      const bySchedule: Record<string, string[]> = JSON.parse(m![1]!);
      // Every cron that can fire selects exactly the environments that chose it.
      for (const { cron } of wf.on.schedule) expect(bySchedule[cron]!.sort(), cron).toEqual(ENVIRONMENTS.filter((env) => crons[env] === cron));
      expect(JSON.parse(m![2]!)).toEqual(ENVIRONMENTS);
    }
    // The committed environments differ (prod drills on weekdays only), so this is not one nightly cron for all.
    expect(crons.prod).not.toBe(crons.dev);
  });

  it('drift still runs every environment on one nightly schedule', () => {
    const wf = load('drift.yml');
    expect(wf.on.schedule).toHaveLength(1);
    expect(wf.jobs.drift.strategy.matrix.env).not.toMatch(/event\.schedule/);
  });

  it('restore-drill always cleans up, then hands its report on', () => {
    const steps = stepsOf(load('restore-drill.yml').jobs.drill);
    const [cleanup, upload] = steps.slice(-2);
    expect(cleanup.if).toBe('always()');
    expect(cleanup.run).toMatch(/harbor-platform drill --env "\$HP_ENV" --cleanup-only/);
    expect(upload.if).toBe('always()');
    expect(upload.uses).toMatch(/^actions\/upload-artifact@[0-9a-f]{40}$/);
    expect(upload.with).toMatchObject({ name: 'report-${{ matrix.env }}', path: '${{ runner.temp }}/report.json' });
  });
});

describe('the issue-writing token', () => {
  const holders = (o: unknown) => /github\.token|secrets\.GITHUB_TOKEN/.test(JSON.stringify(o ?? {}));
  it.each([['drift.yml', 'drift'], ['restore-drill.yml', 'drill'], ['restore.yml', 'restore']])('%s: the job holding the AWS role has no issue-writing token', (name, jobId) => {
    const wf = load(name);
    const job = wf.jobs[jobId];
    expect(holders(wf.env), 'workflow env').toBe(false);
    expect(job.permissions.issues, 'permissions').toBeUndefined();
    expect(holders(job), 'job').toBe(false);
  });

  it.each([['drift.yml', 'drift'], ['restore-drill.yml', 'drill'], ['restore.yml', 'restore']])('%s: only the reporting job may write issues, holds no AWS role, and gives the token to its last step alone', (name, jobId) => {
    const wf = load(name);
    const writers = jobsOf(wf).filter(([, job]) => job.permissions.issues === 'write').map(([id]) => id);
    expect(writers).toEqual(['report']);
    const report = wf.jobs.report;
    expect(report.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(report.if).toBe('always()');
    expect(stepsOf(report).some((s) => String(s.uses ?? '').startsWith('aws-actions/'))).toBe(false);
    const steps = stepsOf(report).filter((s) => holders(s));
    expect(steps.map((s) => s.name)).toEqual([`Report the ${jobId} on the environment's issue`]);
    expect(stepsOf(report).at(-1)).toBe(steps[0]);
    expect(steps[0].run.split('\n').filter((l: string) => /harbor-platform/.test(l)).every((l: string) => /harbor-platform report /.test(l))).toBe(true);
  });

  it('reaches no deploy job', () => {
    for (const [id, job] of jobsOf(load('deploy.yml'))) expect(JSON.stringify(job), id).not.toMatch(/github\.token|issues/);
  });
});

describe('restore', () => {
  const wf = load('restore.yml');
  const inputs = wf.on.workflow_dispatch.inputs;

  it('is dispatched by hand only, with environment, backup, namespaces and a confirmation', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    expect(inputs.environment).toMatchObject({ type: 'choice', required: true, options: ENVIRONMENTS });
    for (const name of ['backup', 'namespaces', 'confirm']) expect(inputs[name]).toMatchObject({ type: 'string', required: true });
  });

  it('refuses before restoring when the confirmation is not the environment name', () => {
    expect([wf.jobs.restore.needs].flat()).toEqual(['confirm']);
    expect(wf.jobs.confirm.permissions).toEqual({});
    const check = stepsOf(wf.jobs.confirm)[0].run;
    expect(check).toMatch(/\[ "\$HP_CONFIRM" != "\$HP_ENV" \]/);
    expect(check).toMatch(/exit 1/);
  });

  it('passes inputs to the shell as variables, never spliced into scripts', () => {
    for (const [, job] of jobsOf(wf)) for (const s of stepsOf(job)) expect(s.run ?? '').not.toMatch(/\$\{\{\s*inputs\./);
  });

  it('restores in the chosen GitHub environment and never overlaps a deploy of it', () => {
    const job = wf.jobs.restore;
    for (const env of ENVIRONMENTS) expect(forEnvironment(job.environment, env)).toBe(planOf(env).names.githubEnvironments.deploy);
    expect(job.concurrency).toEqual({ 'group': 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false });
    expect(stepsOf(job).map((s) => s.run ?? '').join('\n')).toMatch(/harbor-platform restore --env "\$HP_ENV" --backup "\$HP_BACKUP" --namespaces "\$HP_NAMESPACES" --confirm "\$HP_CONFIRM"/);
  });
});

