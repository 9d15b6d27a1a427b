/**
 * Typed access to the local stack (scripts/local-stack/) for integration tests: Ceph RGW (S3),
 * the Docker distribution registry on it, and slapd, all on 127.0.0.1.
 *
 * `ensureStack()` runs `scripts/local-stack/up` (idempotent: fast when the stack already runs)
 * and returns every endpoint and credential from `.local-stack/env`. The other helpers operate
 * on that stack: buckets, extra registry instances, and stopping/starting one service for
 * fault tests. All scripts are serialized by the stack's own lock.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';

const run = promisify(execFile);

export const REPO_ROOT = join(import.meta.dirname, '../../../..');
export const STACK_SCRIPTS = join(REPO_ROOT, 'scripts/local-stack');
/** Where `up` keeps its data and env file (LOCAL_STACK_DIR overrides, as in the scripts). */
export const STACK_DIR = process.env.LOCAL_STACK_DIR ?? join(REPO_ROOT, '.local-stack');
export const STACK_ENV_FILE = join(STACK_DIR, 'env');

/** The opt-out for machines that cannot run the stack; never honoured under CI=true. */
export const SKIP_INTEGRATION_VAR = 'HARBOR_PLATFORM_SKIP_INTEGRATION';

/** True when integration tests must not run here (see vitest.config.ts, which enforces it). */
export function integrationSkipped(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SKIP_INTEGRATION_VAR] === '1' && env.CI !== 'true';
}

/** S3 access to the RGW, as the registry's driver uses it. */
export interface StackS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The stack's main registry (instance "main"). */
export interface StackRegistry {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Bucket holding the registry's objects (distribution's `docker/registry/v2/...` tree). */
  readonly bucket: string;
  /** Basic-auth user and password (htpasswd, bcrypt); every instance accepts them. */
  readonly username: string;
  readonly password: string;
}

/** The slapd directory. */
export interface StackLdap {
  /** `ldap://127.0.0.1:<port>` */
  readonly url: string;
  /** `ldaps://127.0.0.1:<port>`: the same directory over TLS with a self-signed certificate. */
  readonly ldapsUrl: string;
  /** That certificate (PEM), for a client that should trust it. */
  readonly caFile: string;
  /** `dc=example,dc=com` */
  readonly baseDn: string;
  /** `ou=people,dc=example,dc=com` */
  readonly userBaseDn: string;
  /** `ou=groups,dc=example,dc=com` (groupOfNames; memberOf kept by the memberof overlay) */
  readonly groupBaseDn: string;
  /** `cn=harbor-admins,ou=groups,...`: alice is its member. */
  readonly adminGroupDn: string;
  /** The read-only search account and its password. */
  readonly searchDn: string;
  readonly searchPassword: string;
  /** Matches exactly the people: `(objectClass=inetOrgPerson)`. */
  readonly filter: string;
  /** Deliberately loose, `(objectClass=*)`: matches two entries for `duplicateUid`. */
  readonly looseFilter: string;
  /** uids of the people: alice (harbor-admins, developers), bob (developers), carol, sam. */
  readonly users: string[];
  /** A uid held by a person and by a retired `account` entry. */
  readonly duplicateUid: string;
  /** Each person's password by uid. */
  readonly userPasswords: Record<string, string>;
}

export interface LocalStackEnv {
  /** The stack's folder (data, logs, pids, env file). */
  readonly dir: string;
  readonly s3: StackS3;
  readonly registry: StackRegistry;
  readonly ldap: StackLdap;
}

/** A service `ctl stop|start` knows; "registry" is the main instance. */
export type StackService = 'mon' | 'osd' | 'rgw' | 'registry' | 'slapd';

/** Reads `.local-stack/env` (KEY='value' lines) into typed settings; throws naming a missing key. */
export function readStackEnv(file = STACK_ENV_FILE): LocalStackEnv {
  const raw = parseEnv(readFileSync(file, 'utf8'));
  const get = (key: string) => {
    const v = raw[`LOCAL_STACK_${key}`];
    if (!v) throw new Error(`${file} has no LOCAL_STACK_${key}: run scripts/local-stack/up`);
    return v;
  };
  const users = get('LDAP_USERS').split(/\s+/).filter(Boolean);
  return {
    dir: get('DIR'),
    s3: { endpoint: get('S3_ENDPOINT'), region: get('S3_REGION'), accessKeyId: get('S3_ACCESS_KEY'), secretAccessKey: get('S3_SECRET_KEY') },
    registry: { url: get('REGISTRY_URL'), bucket: get('REGISTRY_BUCKET'), username: get('REGISTRY_USERNAME'), password: get('REGISTRY_PASSWORD') },
    ldap: {
      url: get('LDAP_URL'),
      ldapsUrl: get('LDAPS_URL'),
      caFile: get('LDAP_CA_FILE'),
      baseDn: get('LDAP_BASE_DN'),
      userBaseDn: get('LDAP_USER_BASE_DN'),
      groupBaseDn: get('LDAP_GROUP_BASE_DN'),
      adminGroupDn: get('LDAP_ADMIN_GROUP_DN'),
      searchDn: get('LDAP_SEARCH_DN'),
      searchPassword: get('LDAP_SEARCH_PASSWORD'),
      filter: get('LDAP_FILTER'),
      looseFilter: get('LDAP_LOOSE_FILTER'),
      users,
      duplicateUid: get('LDAP_DUPLICATE_UID'),
      userPasswords: Object.fromEntries(users.map((u) => [u, get(`LDAP_PASSWORD_${u.toUpperCase()}`)])),
    },
  };
}

/** Runs one local-stack script; its failure becomes an Error carrying the script's own message. */
async function script(name: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(join(STACK_SCRIPTS, name), args, { timeout: timeoutMs, killSignal: 'SIGTERM', maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string; killed?: boolean };
    const why = e.killed ? `timed out after ${timeoutMs / 1000}s` : (e.stderr?.trim().split('\n').slice(-5).join('\n') ?? e.message);
    throw new Error(`scripts/local-stack/${name} ${args.join(' ')}: ${why}`);
  }
}

let stack: Promise<LocalStackEnv> | undefined;

/**
 * Brings the stack up (once per test worker; `up` itself is idempotent and locked) and returns
 * its settings. Cold: about 25 s plus any package install; already up: under a second.
 * Call from `beforeAll` with a generous hook timeout (vitest.config.ts gives integration files 300 s).
 */
export function ensureStack(): Promise<LocalStackEnv> {
  if (!stack) {
    stack = script('up', ['--quiet'], 280_000).then(() => readStackEnv());
    // A failed start is not remembered: the next call tries again.
    stack.catch(() => (stack = undefined));
  }
  return stack;
}

/** An S3 client on the RGW with the registry user's keys (path-style, as the registry's driver). */
export function stackS3Client(env: LocalStackEnv): S3Client {
  return new S3Client({
    endpoint: env.s3.endpoint,
    region: env.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.s3.accessKeyId, secretAccessKey: env.s3.secretAccessKey },
    maxAttempts: 2,
  });
}

/** Creates a bucket on the RGW; an existing bucket of ours is fine. */
export async function createBucket(name: string): Promise<void> {
  const s3 = stackS3Client(await ensureStack());
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (err) {
    if ((err as Error).name !== 'BucketAlreadyOwnedByYou') throw err;
  } finally {
    s3.destroy();
  }
}

/** Deletes every object of a bucket, then the bucket; a missing bucket is fine. */
export async function deleteBucket(name: string): Promise<void> {
  const s3 = stackS3Client(await ensureStack());
  try {
    let page: ListObjectsV2CommandOutput;
    do {
      page = await s3.send(new ListObjectsV2Command({ Bucket: name, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys, Quiet: true } }));
    } while (page.IsTruncated);
    await s3.send(new DeleteBucketCommand({ Bucket: name }));
  } catch (err) {
    if ((err as Error).name !== 'NoSuchBucket') throw err;
  } finally {
    s3.destroy();
  }
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartRegistryOptions {
  /** Instance name: lower-case letters, digits, hyphens; not "main". */
  readonly name: string;
  /** An existing bucket (createBucket first); the registry serves whatever it holds. */
  readonly bucket: string;
  /** @default - a free port */
  readonly port?: number;
}

export interface RegistryInstance {
  readonly name: string;
  readonly bucket: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`; same basic-auth credentials as the main registry. */
  readonly url: string;
  /** Stops this instance (its config stays; starting the same name again reuses it). */
  stop(): Promise<void>;
}

/** Starts one more registry on `bucket` (e.g. the restore rehearsal's second registry) and waits until it answers. */
export async function startRegistry(options: StartRegistryOptions): Promise<RegistryInstance> {
  if (options.name === 'main') throw new Error('startRegistry: "main" is the stack\'s own registry; use startService("registry")');
  await ensureStack();
  const port = options.port ?? (await freePort());
  await script('ctl', ['registry', 'start', options.name, options.bucket, String(port)], 60_000);
  return {
    name: options.name,
    bucket: options.bucket,
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => script('ctl', ['registry', 'stop', options.name], 60_000).then(() => undefined),
  };
}

/** Stops one service of the stack (by its recorded pid) for a fault test; startService brings it back. */
export async function stopService(service: StackService): Promise<void> {
  await script('ctl', ['stop', service], 90_000);
}

/** Starts one stopped service again and waits until it answers; a running one is left alone. */
export async function startService(service: StackService): Promise<void> {
  await script('ctl', ['start', service], 150_000);
}
