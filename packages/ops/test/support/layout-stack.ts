/**
 * A second, private local stack for one MinIO layout: `up --layout-from <file> --minio-only` in
 * its own folder, network-namespace prefix, subnet and registry port, so a test can lay out,
 * break and heal MinIO clusters beside the shared stack without touching it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentPlan } from '@harbor-platform/config';
import { parse, stringify } from 'yaml';
import { freePort, readMinioStackEnv, REPO_ROOT, script, type StackMinio, type StackRegistry } from './local-stack.js';

const run = promisify(execFile);

export interface LayoutStack {
  readonly dir: string;
  readonly minio: StackMinio;
  readonly registry: StackRegistry;
  readonly plan: EnvironmentPlan;
  /** The variables that point the scripts at this stack. */
  readonly env: NodeJS.ProcessEnv;
  zone(action: 'down' | 'up' | 'cut' | 'join', index: number): Promise<void>;
  /** `mc <args>` as the root user (alias `local`); credentials through MC_HOST_local. */
  mc(args: string[], timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  down(): Promise<void>;
}

/**
 * Variables of a private stack: its folder, and a namespace prefix and subnet of its own
 * (`hq-`, `198.18.1`, or LOCAL_STACK_ZONES_NET_PREFIX and LOCAL_STACK_ZONES_SUBNET).
 */
export function layoutStackEnv(dir: string, registryPort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOCAL_STACK_DIR: dir,
    // Beside the shared stack (hp-, 198.18.0) and other runs of the suite: LOCAL_STACK_ZONES_NET_PREFIX/_SUBNET move it.
    LOCAL_STACK_NET_PREFIX: process.env.LOCAL_STACK_ZONES_NET_PREFIX ?? 'hq-',
    LOCAL_STACK_SUBNET: process.env.LOCAL_STACK_ZONES_SUBNET ?? '198.18.1',
    LOCAL_STACK_REGISTRY_PORT: String(registryPort),
  };
}

/**
 * environments/dev.yaml with `minio` fields replaced, written as `<dir>/dev.yaml` (the file name
 * must match `name`). Returns the path.
 */
export function devVariant(name: string, minio: Record<string, unknown>): string {
  type NodeGroups = { minPerAz: number; desiredPerAz: number };
  const base = parse(readFileSync(join(REPO_ROOT, 'environments/dev.yaml'), 'utf8')) as { minio: Record<string, unknown>; cluster: { nodeGroups: NodeGroups } };
  base.minio = { ...base.minio, ...minio };
  // One MinIO server per node: the node groups must hold every server of an AZ at their minimum
  // (validate's capacity rule), so a variant with more servers gets the nodes it needs.
  const perAz = ((base.minio.pools ?? []) as { serversPerAz: number }[]).reduce((n, p) => n + p.serversPerAz, 0);
  const groups = base.cluster.nodeGroups;
  for (const k of ['minPerAz', 'desiredPerAz'] as const) groups[k] = Math.max(groups[k], perAz);
  const dir = join(tmpdir(), `hp-variant-${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'dev.yaml');
  writeFileSync(file, stringify(base));
  return file;
}

/** Starts a private MinIO-only stack laid out from `source`; `serverEnv` adds NAME=value to every server. */
export async function startLayoutStack(source: string, serverEnv: string[] = []): Promise<LayoutStack> {
  const dir = mkdtempSync(join(tmpdir(), 'hp-layout-'));
  const env = layoutStackEnv(dir, await freePort());
  const args = ['--layout-from', source, '--minio-only', '--no-install', '--quiet', ...serverEnv.flatMap((e) => ['--server-env', e])];
  try {
    await script('up', args, 240_000, env);
  } catch (err) {
    await script('down', [], 120_000, env).catch(() => undefined);
    throw err;
  }
  const read = readMinioStackEnv(join(dir, 'env'));
  const plan = JSON.parse(readFileSync(join(read.minio.layoutDir, 'plan.json'), 'utf8')) as EnvironmentPlan;
  return {
    dir,
    minio: read.minio,
    registry: read.registry,
    plan,
    env,
    zone: (action, index) => script('zone', [action, String(index)], 240_000, env).then(() => undefined),
    mc: (mcArgs, timeoutMs = 60_000) => mcAs(read.minio, read.minio.rootUser, read.minio.rootPassword, mcArgs, timeoutMs),
    down: () => script('down', [], 120_000, env).then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

/** Runs `mc` with alias `local` on the MinIO Service as the given user; never throws, returns the exit code. */
export async function mcAs(minio: StackMinio, user: string, password: string, args: string[], timeoutMs = 60_000) {
  const url = new URL(minio.endpoint);
  url.username = user;
  url.password = password;
  const config = mkdtempSync(join(tmpdir(), 'mc-'));
  try {
    const { stdout, stderr } = await run(minio.mc, ['--no-color', '--config-dir', config, ...args], {
      env: { ...process.env, MC_HOST_local: url.toString().replace(/\/$/, '') },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
