/**
 * What the registry integration tests (smoke, verify, backup, restore) share on top of the
 * local stack: the built CLI run as a process, the library's clients pointed at the stack,
 * and synthetic images pushed through the real registry.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalStackEnv, StackS3 } from './local-stack.js';
import { RegistryClient } from '../../src/registry/client.js';
import { syntheticImage, type SyntheticImage } from '../../src/registry/synthetic.js';
import { ObjectStore } from '../../src/s3/store.js';

export const OPS_DIR = join(import.meta.dirname, '../..');
const BIN = join(OPS_DIR, 'bin/harbor-platform.js');

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Compiles src/ to lib/ when lib/ is older (turbo builds before `npm test`; this covers `npx vitest run`). */
export function ensureCliBuilt(): void {
  let built = 0;
  try {
    built = newest(join(OPS_DIR, 'lib'));
  } catch {
    built = 0;
  }
  if (built >= newest(join(OPS_DIR, 'src'))) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: OPS_DIR, stdio: 'pipe', timeout: 180_000 });
  } catch {
    // tsc emits even with type errors elsewhere in the package (noEmitOnError is off); the CLI runs on what it emitted.
  }
}

/** Environment of a CLI process: credentials and S3 endpoint from the stack, as an operator would set them. */
export function cliEnv(stack: LocalStackEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('HARBOR_PLATFORM_')) delete env[key];
  return {
    ...env,
    HARBOR_PLATFORM_REGISTRY_USERNAME: stack.registry.username,
    HARBOR_PLATFORM_REGISTRY_PASSWORD: stack.registry.password,
    HARBOR_PLATFORM_S3_ENDPOINT: stack.s3.endpoint,
    HARBOR_PLATFORM_S3_REGION: stack.s3.region,
    HARBOR_PLATFORM_S3_ACCESS_KEY_ID: stack.s3.accessKeyId,
    HARBOR_PLATFORM_S3_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    ...extra,
  };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `harbor-platform <args>` as a process, bounded by `timeoutMs`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile('node', [BIN, ...args], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A registry client on one of the stack's registries, with the stack's credentials. */
export function stackRegistry(stack: LocalStackEnv, url = stack.registry.url, timeoutMs = 15_000): RegistryClient {
  return new RegistryClient({ url, credentials: { username: stack.registry.username, password: stack.registry.password }, timeoutMs });
}

/** An object store on one of the stack's stores (default the backup store). */
export function stackStore(stack: LocalStackEnv, bucket: string, prefix = '', store: StackS3 = stack.s3): ObjectStore {
  return new ObjectStore({
    bucket,
    prefix,
    endpoint: { endpoint: store.endpoint, region: store.region, accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
  });
}

/** Pushes a synthetic image through the registry API; returns it for digest checks. */
export async function pushImage(client: RegistryClient, repository: string, tag: string | undefined, layerSizes: number[]): Promise<SyntheticImage> {
  const image = syntheticImage({ layerSizes });
  for (const layer of image.layers) await client.pushBlobMonolithic(repository, layer.bytes);
  await client.pushBlobMonolithic(repository, image.config.bytes);
  await client.putManifest(repository, tag ?? image.manifest.digest, image.manifest.bytes, image.manifest.mediaType);
  return image;
}

/** A containers-auth.json for skopeo's --authfile, so credentials never go on a command line. */
export function skopeoAuthFile(stack: LocalStackEnv, registryUrl: string, dir: string): string {
  const file = join(dir, 'auth.json');
  const auth = Buffer.from(`${stack.registry.username}:${stack.registry.password}`).toString('base64');
  writeFileSync(file, JSON.stringify({ auths: { [new URL(registryUrl).host]: { auth } } }), { mode: 0o600 });
  return file;
}

/** A name no earlier run used (buckets and registry instances of one test file). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
