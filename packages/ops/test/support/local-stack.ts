/**
 * Typed access to the local stack (scripts/local-stack/) for integration tests: distributed MinIO
 * laid out by an environment's plan (one network namespace per server, its Services on a bridge
 * address), the Docker distribution registry on it, a single-node MinIO as the backup store
 * (S3), and slapd.
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

/** S3 access to one of the stack's stores, as the registry's driver uses it. */
export interface StackS3 {
  /** `http://<address>:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The distributed MinIO (the registry's store), laid out by `layout`'s plan. */
export interface StackMinio {
  /** `http://<bridge address>:9000`: the MinIO Service as haproxy serves it (ready servers only). */
  readonly endpoint: string;
  /** The console Service (`http://<bridge address>:9001`). */
  readonly consoleEndpoint: string;
  /** The plan's endpoint (`http://minio.minio.svc.cluster.local:9000`); resolves in `hostsFile` only. */
  readonly planEndpoint: string;
  readonly region: string;
  readonly rootUser: string;
  readonly rootPassword: string;
  /** The Harbor user the provisioning script created, and its bucket. */
  readonly harborAccessKey: string;
  readonly harborSecretKey: string;
  readonly bucket: string;
  /** Path of the `mc` binary (the provisioning Job's release). */
  readonly mc: string;
  /** The environment laid out (its `name`), and the source `up --layout-from` was given. */
  readonly layout: string;
  readonly layoutSource: string;
  /** The rendered layout (plan.json, servers.tsv, ...). */
  readonly layoutDir: string;
  /** The hosts file the stack's processes see as /etc/hosts. */
  readonly hostsFile: string;
}

/** The stack's main registry (instance "main"). */
export interface StackRegistry {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Bucket holding the registry's objects (distribution's `docker/registry/v2/...` tree). */
  readonly bucket: string;
  /** Its store: the distributed MinIO with the Harbor user's keys. */
  readonly store: StackS3;
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
  /** The backup store (single-node MinIO standing in for AWS S3): scratch buckets, extra registries, copies. */
  readonly s3: StackS3;
  readonly minio: StackMinio;
  readonly registry: StackRegistry;
  readonly ldap: StackLdap;
}

/** A service `ctl stop|start` knows: every MinIO server, the backup store, the main registry, slapd. */
export type StackService = 'minio' | 's3' | 'registry' | 'slapd';

/** Reads `.local-stack/env` (KEY='value' lines) into typed settings; throws naming a missing key. */
export function readStackEnv(file = STACK_ENV_FILE): LocalStackEnv {
  const raw = parseEnv(readFileSync(file, 'utf8'));
  const get = (key: string) => {
    const v = raw[`LOCAL_STACK_${key}`];
    if (!v) throw new Error(`${file} has no LOCAL_STACK_${key}: run scripts/local-stack/up`);
    return v;
  };
  const users = get('LDAP_USERS').split(/\s+/).filter(Boolean);
  const minio = readMinio(get);
  return {
    dir: get('DIR'),
    s3: { endpoint: get('S3_ENDPOINT'), region: get('S3_REGION'), accessKeyId: get('S3_ACCESS_KEY'), secretAccessKey: get('S3_SECRET_KEY') },
    minio,
    registry: { ...readRegistry(get), store: harborStore(minio) },
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

type Getter = (key: string) => string;

/** The MinIO keys of an env file. */
export function readMinio(get: Getter): StackMinio {
  return {
    endpoint: get('MINIO_ENDPOINT'),
    consoleEndpoint: get('MINIO_CONSOLE_ENDPOINT'),
    planEndpoint: get('MINIO_PLAN_ENDPOINT'),
    region: get('MINIO_REGION'),
    rootUser: get('MINIO_ROOT_USER'),
    rootPassword: get('MINIO_ROOT_PASSWORD'),
    harborAccessKey: get('MINIO_HARBOR_ACCESS_KEY'),
    harborSecretKey: get('MINIO_HARBOR_SECRET_KEY'),
    bucket: get('MINIO_BUCKET'),
    mc: get('MC'),
    layout: get('LAYOUT'),
    layoutSource: get('LAYOUT_SOURCE'),
    layoutDir: get('LAYOUT_DIR'),
    hostsFile: get('MINIO_HOSTS_FILE'),
  };
}

function readRegistry(get: Getter): Omit<StackRegistry, 'store'> {
  return { url: get('REGISTRY_URL'), bucket: get('REGISTRY_BUCKET'), username: get('REGISTRY_USERNAME'), password: get('REGISTRY_PASSWORD') };
}

/** The distributed MinIO as the Harbor user sees it (the main registry's store). */
export function harborStore(minio: StackMinio): StackS3 {
  return { endpoint: minio.endpoint, region: minio.region, accessKeyId: minio.harborAccessKey, secretAccessKey: minio.harborSecretKey };
}

/** Reads a `--minio-only` stack's env file (no backup store, no slapd). */
export function readMinioStackEnv(file: string): { dir: string; minio: StackMinio; registry: StackRegistry } {
  const raw = parseEnv(readFileSync(file, 'utf8'));
  const get = (key: string) => {
    const v = raw[`LOCAL_STACK_${key}`];
    if (!v) throw new Error(`${file} has no LOCAL_STACK_${key}`);
    return v;
  };
  const minio = readMinio(get);
  return { dir: get('DIR'), minio, registry: { ...readRegistry(get), store: harborStore(minio) } };
}

/** Runs one local-stack script; its failure becomes an Error carrying the script's own message. */
export async function script(name: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await run(join(STACK_SCRIPTS, name), args, { timeout: timeoutMs, killSignal: 'SIGTERM', maxBuffer: 16 * 1024 * 1024, env });
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

/** An S3 client on one of the stack's stores (path-style, as the registry's driver); default the backup store. */
export function stackS3Client(env: LocalStackEnv, store: StackS3 = env.s3): S3Client {
  return s3Client(store);
}

/** An S3 client on a store (path-style, two attempts, bounded waits). */
export function s3Client(store: StackS3, timeoutMs = 15_000): S3Client {
  return new S3Client({
    endpoint: store.endpoint,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
    maxAttempts: 2,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: 5_000 },
  });
}

/** Creates a bucket on the backup store; an existing bucket of ours is fine. */
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

/** Deletes every object of a bucket on the backup store, then the bucket; a missing bucket is fine. */
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
  /** `backup`: the backup store with the S3 keys; `minio`: the distributed MinIO with the Harbor user's keys. @default 'backup' */
  readonly store?: 'backup' | 'minio';
  /** Replaces the chart's `regionendpoint` (e.g. a mistaken endpoint). @default - the store's */
  readonly endpoint?: string;
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
  const extra = options.endpoint ? [options.store ?? 'backup', options.endpoint] : options.store ? [options.store] : [];
  await script('ctl', ['registry', 'start', options.name, options.bucket, String(port), ...extra], 60_000);
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

/** Takes zone `index` of the MinIO cluster away (`down`: servers stopped; `cut`: links down) or back (`up`, `join`). */
export async function zone(action: 'down' | 'up' | 'cut' | 'join', index: number): Promise<void> {
  await script('zone', [action, String(index)], 240_000);
}
