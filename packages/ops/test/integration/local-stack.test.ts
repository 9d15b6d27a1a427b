/**
 * The local stack itself: S3 through the RGW, the registry on its bucket with basic auth and a
 * config.yml written by @harbor-platform/config, extra registry instances, and the stop/start
 * helpers the fault tests rely on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { distributionConfig, registryStorage } from '@harbor-platform/config';
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

beforeAll(async () => {
  env = await ensureStack();
  s3 = stackS3Client(env);
  await createBucket(bucket);
});

afterAll(async () => {
  await deleteBucket(bucket);
  s3?.destroy();
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
  });

  it('stores and returns objects through the RGW S3 API', async () => {
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

  it("runs the registry from @harbor-platform/config's storage settings", () => {
    const written = parse(readFileSync(join(env.dir, 'registry/main/config.yml'), 'utf8'));
    const storage = registryStorage({ endpoint: env.s3.endpoint, bucket: env.registry.bucket, region: env.s3.region });
    const expected = distributionConfig(storage, {
      addr: new URL(env.registry.url).host,
      accessKey: env.s3.accessKeyId,
      secretKey: env.s3.secretAccessKey,
      httpSecret: written.http.secret,
      htpasswdPath: join(env.dir, 'registry/htpasswd'),
    });
    expect(written).toEqual(expected);
    expect(written.storage.s3.regionendpoint).toBe(env.s3.endpoint);
  });

  it("keeps the registry's blobs in its bucket, where distribution lays them out", async () => {
    const body = randomBytes(4096);
    const digest = await pushBlob(env.registry.url, 'stack-test/blob', body);
    const hex = digest.slice('sha256:'.length);
    const head = await s3.send(new HeadObjectCommand({ Bucket: env.registry.bucket, Key: `docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data` }));
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
      await expect(s3.send(new HeadObjectCommand({ Bucket: env.registry.bucket, Key: key }))).rejects.toThrow();
    } finally {
      await second.stop();
    }
    await expect(fetch(`${second.url}/v2/`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('stops and restarts the object store for fault tests', async () => {
    await stopService('rgw');
    try {
      const down = stackS3Client(env);
      await expect(down.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }))).rejects.toThrow(/ECONNREFUSED|connect/);
      down.destroy();
    } finally {
      await startService('rgw');
    }
    const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }));
    expect(after.ContentLength).toBe(256 * 1024);
  });

  it('keeps its objects across a clean stop and start of the OSD (memstore saved on shutdown)', async () => {
    await stopService('rgw');
    await stopService('osd');
    await startService('osd');
    await startService('rgw');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.bin' }));
    expect((await got.Body!.transformToByteArray()).length).toBe(256 * 1024);
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
