/**
 * The local stack itself: the backup store's S3, the registry on the distributed MinIO with basic
 * auth and the config.yml the Harbor chart renders, extra registry instances, and the stop/start
 * helpers the fault tests rely on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EnvironmentPlan } from '@harbor-platform/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createBucket,
  deleteBucket,
  ensureStack,
  readStackEnv,
  startRegistry,
  startService,
  stackS3Client,
  stopService,
  STACK_ENV_FILE,
  type LocalStackEnv,
} from '../support/local-stack.js';

const bucket = `stack-test-${randomBytes(4).toString('hex')}`;
let env: LocalStackEnv;
let s3: S3Client;
let store: S3Client;

beforeAll(async () => {
  env = await ensureStack();
  s3 = stackS3Client(env);
  store = stackS3Client(env, env.registry.store);
  await createBucket(bucket);
});

afterAll(async () => {
  await deleteBucket(bucket);
  s3?.destroy();
  store?.destroy();
});

function basic(e: LocalStackEnv) {
  return { authorization: `Basic ${Buffer.from(`${e.registry.username}:${e.registry.password}`).toString('base64')}` };
}

/** Uploads one blob to the registry by a monolithic POST + PUT; returns its digest. */
async function pushBlob(registryUrl: string, repo: string, body: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const start = await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: basic(env) });
  expect(start.status).toBe(202);
  const location = new URL(start.headers.get('location')!, registryUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { ...basic(env), 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) });
  expect(put.status).toBe(201);
  return digest;
}

describe('local stack', () => {
  it('writes its settings to an owner-only env file with generated credentials', () => {
    expect((statSync(STACK_ENV_FILE).mode % 0o1000).toString(8)).toBe('600');
    expect(readStackEnv()).toEqual(env);
    expect(env.s3.accessKeyId).toMatch(/^[0-9A-F]{20}$/);
    expect(env.s3.secretAccessKey).toMatch(/^[0-9a-f]{40}$/);
    expect(env.registry.password).toMatch(/^[0-9a-f]{32}$/);
    expect(env.ldap.searchPassword).toMatch(/^[0-9a-f]{32}$/);
    for (const url of [env.s3.endpoint, env.registry.url, env.ldap.url]) expect(new URL(url).hostname).toBe('127.0.0.1');
    // The MinIO Service lives on the stack's bridge, in RFC 2544's benchmarking range.
    expect(new URL(env.minio.endpoint).hostname).toMatch(/^198\.1[89]\.\d+\.1$/);
    expect(env.minio.harborAccessKey).toMatch(/^[0-9A-F]{20}$/);
  });

  it('stores and returns objects through the backup store S3 API', async () => {
    const body = randomBytes(256 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.bin', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('serves /v2/ with 401 without credentials and 200 with them', async () => {
    const anonymous = await fetch(`${env.registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${env.registry.url}/v2/`, { headers: { authorization: `Basic ${Buffer.from(`${env.registry.username}:wrong`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${env.registry.url}/v2/`, { headers: basic(env) })).status).toBe(200);
  });

  it("runs the registry with the Harbor chart's storage settings for the laid-out plan, keys only in its environment", () => {
    const written = parse(readFileSync(join(env.dir, 'registry/main/config.yml'), 'utf8'));
    const plan = JSON.parse(readFileSync(join(env.minio.layoutDir, 'plan.json'), 'utf8')) as EnvironmentPlan;
    const s = plan.registryStorage;
    // The chart renders only truthy values: plain-HTTP MinIO leaves `secure` out.
    const { region, bucket: planBucket, regionendpoint, chunksize } = s;
    expect(written.storage.s3).toEqual({ region, bucket: planBucket, regionendpoint, v4auth: true, chunksize });
    expect(written.storage.s3.regionendpoint).toBe(env.minio.planEndpoint);
    expect(written.storage.redirect).toEqual({ disable: true });
    expect(written.auth.htpasswd.path).toBe(join(env.dir, 'registry/htpasswd'));
    expect(written.http.addr).toBe(new URL(env.registry.url).host);
    expect(JSON.stringify(written)).not.toContain(env.minio.harborSecretKey);
  });

  it("keeps the registry's blobs in its bucket, where distribution lays them out", async () => {
    const body = randomBytes(4096);
    const digest = await pushBlob(env.registry.url, 'stack-test/blob', body);
    const hex = digest.slice('sha256:'.length);
    const head = await store.send(new HeadObjectCommand({ Bucket: env.registry.bucket, Key: `docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data` }));
    expect(head.ContentLength).toBe(body.length);
  });

  it('starts a second registry on another bucket and stops it', async () => {
    const second = await startRegistry({ name: 'stack-test', bucket });
    try {
      expect(second.url).toBe(`http://127.0.0.1:${second.port}`);
      expect((await fetch(`${second.url}/v2/`, { headers: basic(env) })).status).toBe(200);
      const digest = await pushBlob(second.url, 'second/repo', randomBytes(1000));
      // The blob landed in the second bucket, not in the main registry's.
      const hex = digest.slice('sha256:'.length);
      const key = `docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
      await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).resolves.toBeDefined();
      await expect(store.send(new HeadObjectCommand({ Bucket: env.registry.bucket, Key: key }))).rejects.toThrow();
    } finally {
      await second.stop();
    }
    await expect(fetch(`${second.url}/v2/`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('stops and restarts the backup store for fault tests', async () => {
    await stopService('s3');
    try {
      const down = stackS3Client(env);
      await expect(down.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }))).rejects.toThrow(/ECONNREFUSED|connect/);
      down.destroy();
    } finally {
      await startService('s3');
    }
    const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }));
    expect(after.ContentLength).toBe(256 * 1024);
  });

  it("keeps the registry's objects across a stop and start of every MinIO server", async () => {
    const body = randomBytes(2048);
    const digest = await pushBlob(env.registry.url, 'stack-test/restart', body);
    await stopService('minio');
    await startService('minio');
    const hex = digest.slice('sha256:'.length);
    const got = await store.send(new GetObjectCommand({ Bucket: env.registry.bucket, Key: `docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data` }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('stops and restarts the registry for fault tests', async () => {
    await stopService('registry');
    try {
      await expect(fetch(`${env.registry.url}/v2/`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
    } finally {
      await startService('registry');
    }
    expect((await fetch(`${env.registry.url}/v2/`, { headers: basic(env) })).status).toBe(200);
  });
});
