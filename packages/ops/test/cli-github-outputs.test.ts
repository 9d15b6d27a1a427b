import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAN_FORMAT_VERSION } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hp-github-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `body` (an object as JSON, or text as is) to a file of the temporary folder. */
function file(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return path;
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['github-outputs', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What bash's `read -r built repository parameter` makes of a line. */
function read(line: string) {
  const [built = '', repository = '', ...rest] = line.trim().split(/\s+/);
  return { built, repository, parameter: rest.join(' ') };
}

describe('github-outputs --role: the $GITHUB_OUTPUT lines of a workflow job', () => {
  const { plan } = plannedEnvironment('prod');
  const planFile = file('prod-plan.json', plan);

  it.each([
    ['deploy', plan.github.deployRole.arn],
    ['operations', plan.github.operationsRole.arn],
  ])('%s: one key=value line each, the role ARN of that role, the cluster from plan.names', async (role, arn) => {
    const r = await cli('--plan', planFile, '--role', role);
    expect(r).toEqual({
      code: 0,
      err: '',
      out: [
        `account=${plan.aws.account}`,
        `region=${plan.aws.region}`,
        `role-arn=${arn}`,
        `cluster=${plan.names.cluster}`,
        `harbor-url=${plan.harbor.url}`,
        `harbor-namespace=${plan.harbor.namespace}`,
        `harbor-hostname=${plan.harbor.hostname}`,
        `hosted-zone-id=${plan.harbor.hostedZoneId}`,
      ].join('\n'),
    });
    expect(plan.github.deployRole.arn).not.toBe(plan.github.operationsRole.arn);
  });

  it('reads the plan, not a second derivation: a renamed cluster in the file is what it prints', async () => {
    const renamed = file('renamed.json', { ...plan, names: { ...plan.names, cluster: 'harbor-platform-prod-blue' } });
    expect((await cli('--plan', renamed, '--role', 'deploy')).out).toMatch(/^cluster=harbor-platform-prod-blue$/m);
  });
});

describe('github-outputs --image: one line for "read -r built repository parameter"', () => {
  it.each(['minio', 'ops'] as const)('%s built by the platform: true, its ECR repository and the SSM digest parameter', async (name) => {
    const { plan } = plannedEnvironment('dev');
    const image = plan.images[name];
    if (!image.built) throw new Error(`dev builds ${name}`);
    const r = await cli('--plan', file(`dev-${name}.json`, plan), '--image', name);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(1);
    expect(read(r.out)).toEqual({ built: 'true', repository: image.repositoryUri, parameter: plan.names.images[name]!.digestParameter });
  });

  it('an external image: false, nothing to build', async () => {
    // The committed mc image, pinned by its real digest, standing in as an external ops image.
    const { plan } = plannedEnvironment('dev', (raw) => (raw.registryBackup.image = raw.minio.clientImage));
    expect(plan.images.ops.built).toBe(false);
    const r = await cli('--plan', file('dev-external.json', plan), '--image', 'ops');
    expect(r).toEqual({ code: 0, out: 'false', err: '' });
    expect(read(r.out).built).toBe('false');
  });
});

describe('github-outputs refuses, in one line', () => {
  const { plan } = plannedEnvironment('dev');

  it.each([
    ['a missing plan file', () => join(dir, 'no-such-plan.json'), /^harbor-platform github-outputs: --plan \S+no-such-plan\.json: cannot read it \(ENOENT\): give the plan\.json/],
    ['a file that is not JSON', () => file('broken.json', '{"formatVersion":'), /^harbor-platform github-outputs: --plan \S+broken\.json: not JSON \(.+\): give the plan\.json/],
    ['a plan of another format', () => file('future.json', { ...plan, formatVersion: PLAN_FORMAT_VERSION + 1 }), new RegExp(`^harbor-platform github-outputs: --plan \\S+future\\.json: formatVersion: ${PLAN_FORMAT_VERSION + 1} is not ${PLAN_FORMAT_VERSION}, the plan format this CLI reads: `)],
    ['JSON without a formatVersion', () => file('empty.json', {}), /^harbor-platform github-outputs: --plan \S+empty\.json: formatVersion: missing is not \d+/],
  ])('%s (exit 1)', async (_what, path, message) => {
    for (const mode of [['--role', 'deploy'], ['--image', 'minio']]) {
      const r = await cli('--plan', path(), ...mode);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err.split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });

  it.each([
    ['built is not a boolean', { built: 'false' }, 'images.minio.built: is not true or false'],
    ['a built image without its repository', { built: true, digestParameter: '/harbor-platform/prod/images/minio/digest' }, 'images.minio.repositoryUri: has no value'],
    ['a built image without its digest parameter', { built: true, repositoryUri: '222222222222.dkr.ecr.ap-northeast-2.amazonaws.com/harbor-platform-prod/minio' }, 'images.minio.digestParameter: has no value'],
    ['a repository with a blank, which read would split', { built: true, repositoryUri: 'a b', digestParameter: '/p' }, 'images.minio.repositoryUri: has no value in the plan, or a blank in it'],
  ])('--image refuses a plan whose image is not one line of three words: %s', async (_, minio, message) => {
    const r = await cli('--plan', file('bad-image.json', { ...plan, images: { ...plan.images, minio } }), '--image', 'minio');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([expect.stringContaining(`bad-image.json: ${message}`)]);
  });

  it('a plan whose field is missing, naming the field', async () => {
    const r = await cli('--plan', file('no-names.json', { ...plan, names: undefined }), '--role', 'operations');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^harbor-platform github-outputs: --plan \S+no-names\.json: cluster: has no value in the plan: /);
  });

  it.each([
    [[], 'give --role <deploy|operations> or --image <minio|ops>, one of them'],
    [['--role', 'deploy', '--image', 'ops'], 'give --role <deploy|operations> or --image <minio|ops>, one of them'],
    [['--role', 'admin'], '--role: "admin" is not a role: use deploy or operations'],
    [['--image', 'harbor'], '--image: "harbor" is not an image the platform can build: use minio or ops'],
  ])('usage %j (exit 2)', async (args, message) => {
    const r = await cli('--plan', file('dev.json', plan), ...args);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`harbor-platform github-outputs: ${message}`);
  });

  it('without --plan, naming it', async () => {
    const r = await cli('--role', 'deploy');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('harbor-platform github-outputs: --plan is required');
  });
});
