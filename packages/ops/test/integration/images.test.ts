/**
 * The images the pipeline pushes (scripts/images/build), built here without a container
 * daemon, pushed into a real Docker distribution, pulled back with skopeo, unpacked with umoci
 * and run: MinIO answers its liveness probe, the CLI runs on the Node and libraries the image
 * carries. The digest the build writes is the registry's, and a second build gives the same.
 * Needs root (chroot), umoci, skopeo and docker-registry (scripts/local-stack/install-deps);
 * it does not use the local stack.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envOf, freePort, imageConfig, inImage, pinned, pullAndUnpack, registryDigest, REPO_ROOT, runBuild, runInImage,
  startRegistry, stopProcess, waitFor200, type ImageConfig, type TestRegistry,
} from '../support/image-tools.js';

const run = promisify(execFile);
const BUILD_TIMEOUT = 900_000;
let work: string;
let registry: TestRegistry;

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('images.test.ts runs the images with chroot, which needs root: run it as root (CI does)');
  work = mkdtempSync(join(tmpdir(), 'images-test-'));
  registry = await startRegistry(join(work, 'registry'));
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Built {
  digest: string;
  ref: string;
  config: ImageConfig;
  rootfs: string;
}

/** Builds IMAGE into the test registry as harbor/IMAGE:TAG and pulls it back. */
async function buildAndPull(image: 'minio' | 'ops', tag: string, env: NodeJS.ProcessEnv = process.env): Promise<Built> {
  const digestFile = join(work, `${image}-${tag}.digest`);
  const dest = `docker://${registry.host}/harbor/${image}:${tag}`;
  const r = await runBuild([image, '--dest', dest, '--digest-file', digestFile, '--dest-tls-verify=false'], env);
  if (r.code !== 0) throw new Error(`build ${image} exited ${r.code}: ${r.stderr.trim()}`);
  const digest = readFileSync(digestFile, 'utf8');
  expect(r.stdout.trim()).toBe(digest);
  const ref = `docker://${registry.host}/harbor/${image}@${digest}`;
  return { digest, ref, config: await imageConfig(ref), rootfs: await pullAndUnpack(ref, join(work, `${image}-${tag}`)) };
}

const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the MinIO image', () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildAndPull('minio', 'first');
  }, BUILD_TIMEOUT);

  it('is pushed under the digest the build wrote, and a second build gives the same digest', async () => {
    expect(built.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(registry.host, 'harbor/minio', 'first')).toBe(built.digest);
    const again = join(work, 'minio-again.digest');
    const r = await runBuild(['minio', '--dest', `docker://${registry.host}/harbor/minio:again`, '--digest-file', again, '--dest-tls-verify=false']);
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(built.digest);
    expect(await registryDigest(registry.host, 'harbor/minio', 'again')).toBe(built.digest);
  }, BUILD_TIMEOUT);

  it('holds the static MinIO the local stack runs, as a non-root user, with its source in the labels', async () => {
    const version = pinned('scripts/local-stack/go-tools.tsv', /^minio\t\S+\t(\S+)\t/m);
    const { stdout } = await run(join(REPO_ROOT, 'scripts/local-stack/install-go-tools'), ['--print-paths']);
    const localStackMinio = /^minio=(.+)$/m.exec(stdout)![1]!;
    expect(sha256File(join(built.rootfs, 'usr/bin/minio'))).toBe(sha256File(localStackMinio));
    const { stdout: info } = await run('go', ['version', '-m', join(built.rootfs, 'usr/bin/minio')]);
    expect(info).toMatch(/^\s+build\s+CGO_ENABLED=0$/m);
    expect(info).toContain(`github.com/minio/minio\t${version}`);

    expect(built.config).toMatchObject({ architecture: 'amd64', os: 'linux' });
    expect(built.config.config.User).toBe('1000:1000');
    expect(built.config.config.Entrypoint).toEqual(['minio']);
    expect(built.config.config.Labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/minio/minio',
      'org.opencontainers.image.revision': version.slice(-12),
    });
  });

  it('runs: minio server answers /minio/health/live on a loopback port', async () => {
    const port = await freePort();
    const consolePort = await freePort();
    const env = { ...envOf(built.config.config.Env), MINIO_ROOT_USER: 'images-test', MINIO_ROOT_PASSWORD: createHash('sha256').update(work).digest('hex').slice(0, 24) };
    const data = join(built.rootfs, 'data');
    await run('install', ['-d', '-o', '1000', '-g', '1000', data]);
    const [file, ...args] = inImage(built.rootfs, built.config.config.User!, [
      ...built.config.config.Entrypoint!, 'server', '/data', '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`,
    ]);
    const child = spawn(file!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    for (const s of [child.stdout!, child.stderr!]) s.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    try {
      await waitFor200(`http://127.0.0.1:${port}/minio/health/live`, 60_000, () => (child.exitCode !== null ? `exit ${child.exitCode}: ${log}` : undefined));
      // The server process runs as the image's user, not root.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      expect(/^Uid:\s+(\d+)/m.exec(status)![1]).toBe('1000');
    } finally {
      await stopProcess(child);
    }
  }, 90_000);
});

describe('the ops image', () => {
  let built: Built;
  let env: Record<string, string>;
  const user = () => built.config.config.User!;
  beforeAll(async () => {
    built = await buildAndPull('ops', 'first', { ...process.env, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'example-org/harbor-platform' });
    env = envOf(built.config.config.Env);
  }, BUILD_TIMEOUT);

  it('is pushed under the digest the build wrote, and a second build gives the same digest', async () => {
    expect(await registryDigest(registry.host, 'harbor/ops', 'first')).toBe(built.digest);
    const again = join(work, 'ops-again.digest');
    const r = await runBuild(['ops', '--dest', `docker://${registry.host}/harbor/ops:again`, '--digest-file', again, '--dest-tls-verify=false'], {
      ...process.env, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'example-org/harbor-platform',
    });
    expect(r.code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(built.digest);
  }, BUILD_TIMEOUT);

  it('runs the CLI as its non-root entrypoint, with this checkout as its source', async () => {
    expect(built.config.config.User).toBe('1000:1000');
    expect(built.config.config.Entrypoint).toEqual(['harbor-platform']);
    const { stdout: head } = await run('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD']);
    expect(built.config.config.Labels?.['org.opencontainers.image.revision']).toMatch(new RegExp(`^${head.trim()}(-dirty)?$`));
    expect(built.config.config.Labels?.['org.opencontainers.image.source']).toBe('https://github.com/example-org/harbor-platform');

    const help = await runInImage(built.rootfs, user(), env, [...built.config.config.Entrypoint!, '--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: harbor-platform <command> \[options\]\n/);
    expect(help.stdout).toMatch(/^\s+registry-backup\s/m);

    const validate = await runInImage(built.rootfs, user(), env, [...built.config.config.Entrypoint!, 'validate', '--help']);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/^usage: harbor-platform validate /);
  });

  it('validates an environment file with the Node it carries (the pinned Node 24)', async () => {
    const node = await runInImage(built.rootfs, user(), env, ['node', '--version']);
    expect(node.stdout.trim()).toBe(`v${pinned('.ci/setup-node', /^NODE_VERSION=(\S+)$/m)}`);
    copyFileSync(join(REPO_ROOT, 'environments/dev.yaml'), join(built.rootfs, 'tmp/dev.yaml'));
    const ok = await runInImage(built.rootfs, user(), env, [...built.config.config.Entrypoint!, 'validate', '/tmp/dev.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('/tmp/dev.yaml: valid (dev, dev)');
    // A bad file: one line per problem naming the field and the fix, the exit code of a failed check.
    const text = readFileSync(join(REPO_ROOT, 'environments/dev.yaml'), 'utf8').replace(/^(harbor:\n(?:.*\n)*?\s+chartVersion:\s*).*$/m, '$1not-a-version');
    writeFileSync(join(built.rootfs, 'tmp/bad.yaml'), text);
    const bad = await runInImage(built.rootfs, user(), env, [...built.config.config.Entrypoint!, 'validate', '/tmp/bad.yaml']);
    expect(bad.code).toBe(1);
    // Problems go to stderr, one line each, with the count last; nothing on stdout.
    expect(bad.stdout).toBe('');
    const lines = bad.stderr.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^harbor\.chartVersion: is not a chart version: write it as "\d+\.\d+\.\d+"$/));
    expect(lines.at(-1)).toMatch(/^\/tmp\/bad\.yaml: \d+ problem\(s\)$/);
    expect(bad.stderr + bad.stdout).not.toMatch(/\n\s+at /);
  });

  it('trusts the CA bundle it carries (Debian ca-certificates) through Node\'s system store', async () => {
    const bundle = readFileSync(join(built.rootfs, 'etc/ssl/certs/ca-certificates.crt'), 'utf8');
    const count = bundle.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
    expect(count).toBeGreaterThan(100);
    const r = await runInImage(built.rootfs, user(), env, ['node', '-e', "console.log(require('node:tls').getCACertificates('system').length)"]);
    expect(r.stderr).toBe('');
    expect(Number(r.stdout.trim())).toBe(count);
  });
});

describe('bad input', () => {
  it('--help prints the usage and exits 0; an unknown value of a flag is one line, exit 2', async () => {
    const help = await runBuild(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: scripts\/images\/build <minio\|ops> --dest <skopeo-destination> \[--digest-file <path>\]$/m);
    const tls = await runBuild(['minio', '--dest', 'docker://127.0.0.1:5000/harbor/minio:1', '--dest-tls-verify=maybe']);
    expect(tls.code).toBe(2);
    expect(tls.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^images\/build: --dest-tls-verify: 'maybe' is not true or false: /)]);
    const image = await runBuild(['harbor', '--dest', 'docker://127.0.0.1:5000/harbor/x:1']);
    expect(image.code).toBe(2);
    expect(image.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^images\/build: image: 'harbor' is not built here: give minio or ops/)]);
  });

  it('a destination skopeo cannot name: one line, before any build', async () => {
    const r = await runBuild(['ops', '--dest', 'registry.example/harbor/ops:1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^images\/build: --dest: 'registry.example\/harbor\/ops:1' is not a skopeo destination: give transport:reference, e.g. docker:\/\//)]);
    // A registry reference the registry would refuse (upper-case repository, empty tag): refused before a build of minutes.
    for (const ref of ['Registry.example.com/Foo:bar', 'registry.example.com/harbor/ops:']) {
      const bad = await runBuild(['minio', '--dest', `docker://${ref}`]);
      expect(bad.code, ref).toBe(2);
      expect(bad.stderr.trim().split('\n'), ref).toEqual([`images/build: --dest: '${ref}' is not a registry reference: write <registry>/<repository>:<tag> with the repository in lower case, e.g. docker://registry.example.com/harbor/minio:1 (see --help)`]);
    }
  });

  it('a registry that does not answer: one line naming the destination, after the build', async () => {
    const dest = `docker://127.0.0.1:${await freePort()}/harbor/minio:unreachable`;
    const r = await runBuild(['minio', '--dest', dest, '--dest-tls-verify=false']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => /failed/.test(l))).toEqual([expect.stringMatching(new RegExp(`^images/build: pushing to ${dest.replace(/[.]/g, '\\.')} failed: .*connection refused`))]);
    expect(lines.at(-1)).toMatch(/failed/);
    expect(r.stdout).toBe('');
  }, BUILD_TIMEOUT);
});
