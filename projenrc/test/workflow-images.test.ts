/**
 * The deploy job's image steps (projenrc/workflow-images.ts), read from the generated
 * deploy.yml and run as GitHub runs them (bash): the GitHub stack deploys first, the images
 * are built by scripts/images/build and pushed to the repositories the plan names, their
 * digests go to the SSM parameters the platform stack reads (plan.images, packages/config),
 * and only then does the platform stack deploy. `aws` and the build script are stand-ins that
 * record their arguments: the build itself is tested with the script.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentPlan } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { BUILD_IMAGES_STEP as BUILD_STEP } from '../workflows/images';
import { loadWorkflow, npxStandIn, ROOT } from './support/workflows.js';

const run = promisify(execFile);
const deploy = loadWorkflow('deploy.yml');
type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string> };
const steps = (env: string): Step[] => deploy.jobs[`deploy-${env}`].steps;

const plan = (env: 'dev' | 'prod', mutate?: (raw: any) => void): EnvironmentPlan => plannedEnvironment(env, mutate, ROOT).plan;

/**
 * Runs the build step of `env` in a scratch directory holding a stand-in scripts/images/build
 * (it records its arguments and writes `digest` to --digest-file), a stand-in `aws`, and `npx`
 * running the repository's CLI (`harbor-platform github-outputs --image` reads the plan).
 */
async function runBuildStep(env: 'dev' | 'prod', p: EnvironmentPlan | Record<string, unknown>, digest: (name: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'hp-images-'));
  const temp = join(dir, 'runner-temp');
  mkdirSync(join(dir, 'scripts/images'), { recursive: true });
  mkdirSync(temp);
  writeFileSync(join(temp, 'plan.json'), JSON.stringify(p));
  const digests = Object.fromEntries(['minio', 'ops'].map((n) => [n, digest(n)]));
  writeFileSync(join(dir, 'scripts/images/build'), [
    '#!/usr/bin/env bash',
    'printf "%s\\n" "$*" >> "$RUNNER_TEMP/build-calls"',
    'while [ $# -gt 0 ]; do case "$1" in --digest-file) file="$2"; shift 2 ;; *) shift ;; esac; done',
    `case "$(basename "$file" .digest)" in minio) printf '%s' '${digests.minio}' > "$file" ;; ops) printf '%s' '${digests.ops}' > "$file" ;; esac`,
  ].join('\n'));
  chmodSync(join(dir, 'scripts/images/build'), 0o755);
  // A function, not PATH: a machine's own aws must never answer for the stand-in.
  const aws = 'aws() { printf \'%s\\n\' "$*" >> "$RUNNER_TEMP/aws-calls"; if [ "$1 $2" = "ecr get-login-password" ]; then echo registry-password; fi; }\n';
  const step = steps(env).find((s) => s.name === BUILD_STEP)!;
  const environment = { ...process.env, RUNNER_TEMP: temp, GITHUB_SHA: 'c0ffee', GITHUB_RUN_ATTEMPT: '2', HP_REGION: (p as EnvironmentPlan).aws.region };
  const read = (f: string) => (existsSync(join(temp, f)) ? readFileSync(join(temp, f), 'utf8').trim().split('\n') : []);
  try {
    const r = await run('bash', ['-e', '-c', aws + npxStandIn + step.run!], { cwd: dir, env: environment });
    return { code: 0, temp, stdout: r.stdout, stderr: r.stderr, builds: read('build-calls'), aws: read('aws-calls') };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, temp, stdout: e.stdout, stderr: e.stderr, builds: read('build-calls'), aws: read('aws-calls') };
  }
}

/** A real SHA-256 digest (of the name), as the build script writes one. */
const realDigest = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;

describe("the deploy job's image steps", () => {
  it('deploy the GitHub stack, build the images, then the platform stack, after the role is assumed, in every deploy job (smoke follows in its own job)', () => {
    for (const env of ['dev', 'prod']) {
      const names = steps(env).map((s) => s.name ?? s.uses);
      const at = (re: RegExp) => names.findIndex((n) => re.test(String(n)));
      const order = [
        at(/Assume the deploy role/),
        at(new RegExp(`^Deploy the ${env} GitHub stack`)),
        at(/^Set up Go/),
        at(/^Install the image tools/),
        at(new RegExp(`^${BUILD_STEP}$`)),
        at(new RegExp(`^Deploy the ${env} platform stack$`)),
      ];
      expect(order.every((i) => i >= 0), `${env}: ${JSON.stringify(order)}`).toBe(true);
      expect([...order].sort((a, b) => a - b), env).toEqual(order);
      const runs = steps(env).map((s) => s.run ?? '');
      const stacks = plan(env as 'dev' | 'prod').names.stacks;
      expect(runs[order[1]!]!.endsWith(`cdk deploy --app cdk.out --require-approval never --progress events --exclusively '${stacks.github}'`), runs[order[1]!]).toBe(true);
      expect(runs[order[5]!]!.endsWith(`cdk deploy --app cdk.out --require-approval never --progress events --exclusively '${stacks.platform}'`), runs[order[5]!]).toBe(true);
      // Daemonless tools from Debian and the Go programs the local stack builds.
      expect(runs[order[3]!]).toMatch(/apt-get install .*umoci skopeo/);
      expect(runs[order[3]!]).toMatch(/scripts\/local-stack\/install-go-tools/);
    }
  });

  it('builds each image with scripts/images/build into the plan\'s repository and puts the digest in the parameter the stack reads', async () => {
    const p = plan('prod');
    const r = await runBuildStep('prod', p, realDigest);
    expect(r.code, r.stderr).toBe(0);
    const uri = (n: 'minio' | 'ops') => (p.images[n].built ? p.images[n].repositoryUri : '');
    expect(r.builds).toEqual((['minio', 'ops'] as const).map((n) =>
      `${n} --dest docker://${uri(n)}:c0ffee-2 --digest-file ${r.temp}/${n}.digest --dest-creds AWS:registry-password`));
    expect(r.aws).toEqual([
      `ecr get-login-password --region ${p.aws.region}`,
      // The parameter named once, in packages/config: the platform stack reads the same one (packages/infra images.test.ts).
      `ssm put-parameter --name ${p.names.images.minio!.digestParameter} --type String --overwrite --value ${realDigest('minio')}`,
      `ssm put-parameter --name ${p.names.images.ops!.digestParameter} --type String --overwrite --value ${realDigest('ops')}`,
    ]);
    expect(r.stdout).toContain('::add-mask::registry-password');
  });

  it('builds nothing for an external image', async () => {
    const mc = 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727';
    const p = plan('dev', (raw) => (raw.registryBackup.image = mc));
    const r = await runBuildStep('dev', p, realDigest);
    expect(r.code, r.stderr).toBe(0);
    expect(r.builds.map((l) => l.split(' ')[0])).toEqual(['minio']);
    expect(r.aws.filter((l) => l.startsWith('ssm '))).toEqual([expect.stringContaining(`--name ${p.names.images.minio!.digestParameter} `)]);
    expect(r.stdout).toContain('ops: an external image (plan.images.ops): nothing to build');
  });

  it('stops before recording anything but a sha256 digest', async () => {
    const r = await runBuildStep('dev', plan('dev'), () => 'latest');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^minio: the build wrote "latest" to \S+minio\.digest, not sha256:<64 hex>$/m);
    expect(r.aws.filter((l) => l.startsWith('ssm '))).toEqual([]);
  });

  it('stops on a plan the CLI refuses, instead of taking every image for an external one', async () => {
    const r = await runBuildStep('dev', { ...plan('dev'), formatVersion: plan('dev').formatVersion + 1 }, realDigest);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/github-outputs: --plan \S+plan\.json: formatVersion: /);
    expect(r.stdout).not.toMatch(/nothing to build/);
    expect([...r.builds, ...r.aws.filter((l) => l.startsWith('ssm '))]).toEqual([]);
  });
});
