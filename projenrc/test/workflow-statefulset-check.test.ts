/**
 * The deploy job's "Refuse changes the deployed MinIO StatefulSets cannot take" step, run as
 * GitHub runs it (bash), with `aws` answering as CloudFormation does and `npx` running this
 * repository's CLI: the first deploy passes, an unchanged layout passes, and a drive size the
 * deployed StatefulSets cannot take stops the job with the refusal.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI_BIN as BIN, loadWorkflow, planOf, ROOT as REPO } from './support/workflows.js';

const run = promisify(execFile);
const deploy = loadWorkflow('deploy.yml');
const step = (env: string) => deploy.jobs[`deploy-${env}`].steps.find((s: { name?: string }) => s.name === 'Refuse changes the deployed MinIO StatefulSets cannot take');

/** The deployed stack's output as packages/infra writes it (DEPLOYED_MINIO_OUTPUT). */
function deployedOutput(env: string, driveSize?: string): string {
  const { minio } = planOf(env);
  const statefulSets = minio.statefulSets.map((s) => (driveSize ? { ...s, driveSize } : s));
  return JSON.stringify({ minio: { storageClass: minio.storageClass, statefulSetRevision: minio.statefulSetRevision, statefulSets } });
}

/** Runs the step's script with a fake `aws` (answering `answer`, or that the stack does not exist) and `npx` on the real CLI. */
async function runStep(env: string, answer: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'hp-step-'));
  const aws = answer === undefined
    ? 'echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2; exit 254'
    : `printf '%s\\n' '${answer}'`;
  writeFileSync(join(dir, 'aws'), `#!/usr/bin/env bash\n${aws}\n`);
  // `npx --no harbor-platform <args>`: the repository's launcher, as after npm ci.
  writeFileSync(join(dir, 'npx'), `#!/usr/bin/env bash\nshift 2\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  for (const f of ['aws', 'npx']) chmodSync(join(dir, f), 0o755);
  try {
    // Functions, not PATH: a machine's own `aws` (pyenv shims, say) must never answer for the stand-in.
    const standIns = `aws() { "${dir}/aws" "$@"; }\nnpx() { "${dir}/npx" "$@"; }\n`;
    const r = await run('bash', ['-e', '-c', standIns + step(env).run], { cwd: REPO, env: { ...process.env, RUNNER_TEMP: dir } });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the deploy job's check against the deployed MinIO StatefulSets", () => {
  it('comes after the role is assumed and before the deploy, in every deploy job', () => {
    for (const env of ['dev', 'prod']) {
      const names = deploy.jobs[`deploy-${env}`].steps.map((s: { name?: string; uses?: string }) => s.name ?? s.uses);
      const at = names.indexOf(step(env).name);
      expect(at, env).toBeGreaterThan(names.findIndex((n: string) => /Assume the deploy role/.test(n)));
      expect(at, env).toBeLessThan(names.findIndex((n: string) => n === `Deploy the ${env} platform stack`));
    }
  });

  it('passes a first deploy, saying there is nothing to compare with', async () => {
    const r = await runStep('dev', undefined);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${planOf('dev').names.stacks.platform} is not deployed yet: nothing to compare with`);
  });

  it('passes an unchanged layout, and a stack deployed before the output existed', async () => {
    expect((await runStep('prod', deployedOutput('prod'))).code).toBe(0);
    const old = await runStep('prod', 'None');
    expect(old.code).toBe(0);
    expect(old.stdout).toMatch(/has no DeployedMinioStatefulSets output yet/);
  });

  it('stops the job on a drive size the deployed StatefulSets cannot take, printing the refusal and the runbook', async () => {
    const r = await runStep('prod', deployedOutput('prod', '250Gi'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^minio\.pools\[0\]\.driveSize: changes from 250Gi to 500Gi, .*"Changing MinIO drives and pools"$/m);
  });
}, 120_000);
