/**
 * What the image tests (test/integration/images.test.ts) use: a throwaway Docker distribution
 * (Debian's docker-registry) on a free loopback port, `scripts/images/build` run as a process,
 * and the pushed image pulled back with skopeo and unpacked with umoci, so what runs is what
 * the registry holds.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot } from '@harbor-platform/config';

const run = promisify(execFile);
export const REPO_ROOT = findRepoRoot(import.meta.dirname)!;
export const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/images/build');

import { freePort } from './local-stack.js';

export { freePort };

/** Polls `url` until it answers 200, or throws after `timeoutMs` with the last outcome. */
export async function waitFor200(url: string, timeoutMs: number, died?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const exited = died?.();
    if (exited) throw new Error(`${url}: the process exited before answering: ${exited}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

export interface TestRegistry {
  /** host:port, for docker:// references. */
  readonly host: string;
  stop(): Promise<void>;
}

/** docker-registry on its own loopback port, storage and config under `dir`; stopped by `stop()`. */
export async function startRegistry(dir: string): Promise<TestRegistry> {
  const port = await freePort();
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log: { level: warn }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'storage')} }`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n'));
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const died = () => (child.exitCode !== null ? `exit ${child.exitCode}: ${log.trim().split('\n').slice(-3).join(' | ')}` : undefined);
  await waitFor200(`http://127.0.0.1:${port}/v2/`, 30_000, died);
  return { host: `127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

export interface BuildResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `scripts/images/build ARGS`, never throwing: its exit code and output. */
export async function runBuild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<BuildResult> {
  try {
    const { stdout, stderr } = await run(BUILD_SCRIPT, args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 900_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** Docker-Content-Digest of `repository:tag` as the registry answers a manifest HEAD. */
export async function registryDigest(host: string, repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (res.status !== 200) throw new Error(`HEAD /v2/${repository}/manifests/${tag}: HTTP ${res.status}`);
  return res.headers.get('docker-content-digest');
}

/** The OCI image config (`skopeo inspect --config`) of a reference in the test registry. */
export interface ImageConfig {
  readonly created?: string;
  readonly architecture: string;
  readonly os: string;
  readonly config: { User?: string; Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; Labels?: Record<string, string> };
}

export async function imageConfig(ref: string): Promise<ImageConfig> {
  const { stdout } = await run('skopeo', ['inspect', '--config', '--tls-verify=false', ref]);
  return JSON.parse(stdout) as ImageConfig;
}

/**
 * Pulls `ref` into an OCI layout under `dir` with skopeo and unpacks it with umoci:
 * returns the root file system's path.
 */
export async function pullAndUnpack(ref: string, dir: string): Promise<string> {
  const layout = join(dir, 'oci');
  mkdirSync(dir, { recursive: true });
  await run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', ref, `oci:${layout}:pulled`]);
  const bundle = join(dir, 'bundle');
  await run('umoci', ['unpack', '--image', `${layout}:pulled`, bundle]);
  const rootfs = join(bundle, 'rootfs');
  // A container runtime mounts /proc; the tests mount a private one there (MinIO reads /proc/mounts).
  mkdirSync(join(rootfs, 'proc'), { recursive: true });
  return rootfs;
}

/** `KEY=value` entries as an environment object. */
export function envOf(entries: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/**
 * The argv that runs `command` in `rootfs` as the image's user, the way a runtime would:
 * chroot (looking `command[0]` up in the PATH of `env`), a private /proc mounted in a
 * mount namespace of its own (gone with the process), and only the image's environment.
 */
export function inImage(rootfs: string, user: string, command: readonly string[]): string[] {
  return ['/usr/bin/unshare', '--mount', `--mount-proc=${join(rootfs, 'proc')}`, '/usr/sbin/chroot', `--userspec=${user}`, rootfs, ...command];
}

/** Runs `command` inside the image to completion: exit code and output. */
export async function runInImage(rootfs: string, user: string, env: Record<string, string>, command: readonly string[]): Promise<BuildResult> {
  const [file, ...args] = inImage(rootfs, user, command);
  try {
    const { stdout, stderr } = await run(file!, args, { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** A value pinned in one of the repository's files: the first capture of `pattern`. */
export function pinned(relative: string, pattern: RegExp): string {
  const m = pattern.exec(readFileSync(join(REPO_ROOT, relative), 'utf8'));
  if (!m?.[1]) throw new Error(`${relative}: no match for ${pattern}`);
  return m[1];
}
