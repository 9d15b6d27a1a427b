/**
 * The registry's store on the real distributed MinIO of the shared stack: the Harbor user the
 * provisioning script created is least privilege in fact (the registry's whole cycle works,
 * everything else is refused by MinIO), and the seed's endpoint mistakes fail against this
 * plain-HTTP MinIO the way `validate` says they would, while `validate` refuses each of them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devVariant, mcAs } from '../support/layout-stack.js';
import { ensureStack, s3Client, startRegistry, type LocalStackEnv } from '../support/local-stack.js';
import { pullImage } from '../support/minio-layout.js';
import { ensureCliBuilt, pushImage, runCli, stackRegistry, uniqueName } from '../support/registry-tools.js';

let stack: LocalStackEnv;
let harbor: S3Client;
const other = uniqueName('other-bucket');

const root = (args: string[]) => mcAs(stack.minio, stack.minio.rootUser, stack.minio.rootPassword, args);
const asHarbor = (args: string[]) => mcAs(stack.minio, stack.minio.harborAccessKey, stack.minio.harborSecretKey, args);

beforeAll(async () => {
  stack = await ensureStack();
  ensureCliBuilt();
  harbor = s3Client(stack.registry.store);
  // Another bucket with an object in it, made by the root user.
  expect((await root(['mb', `local/${other}`])).code).toBe(0);
  const { endpoint, region, rootUser, rootPassword } = stack.minio;
  const admin = s3Client({ endpoint, region, accessKeyId: rootUser, secretAccessKey: rootPassword });
  await admin.send(new PutObjectCommand({ Bucket: other, Key: 'secret.txt', Body: 'not for the registry' }));
  admin.destroy();
});

afterAll(async () => {
  await root(['rb', '--force', `local/${other}`]);
  harbor?.destroy();
});

const basic = () => ({ authorization: `Basic ${Buffer.from(`${stack.registry.username}:${stack.registry.password}`).toString('base64')}` });

describe("the Harbor user's policy, in fact", () => {
  it('lets the registry push, pull, delete and cancel an upload', async () => {
    const client = stackRegistry(stack);
    const repo = uniqueName('least/app');
    const image = await pushImage(client, repo, 'v1', [150_000, 1_000]);
    await pullImage(client, repo, 'v1', image);
    await client.deleteManifest(repo, image.manifest.digest);
    expect(await client.headManifest(repo, image.manifest.digest)).toBeUndefined();

    const start = await fetch(`${stack.registry.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: basic() });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location')!, stack.registry.url);
    const patch = await fetch(location, { method: 'PATCH', headers: { ...basic(), 'content-type': 'application/octet-stream' }, body: new Uint8Array(randomBytes(64 * 1024)) });
    expect(patch.status).toBe(202);
    const cancel = await fetch(new URL(patch.headers.get('location')!, stack.registry.url), { method: 'DELETE', headers: basic() });
    expect(cancel.status).toBe(204);
    // The delete and the multipart abort reached MinIO: no upload data, start time or open multipart
    // upload is left. (Distribution 2.8 closes the upload after cancelling it, which writes its hash
    // state once more; the registry's upload purging removes that file later.)
    const prefix = `docker/registry/v2/repositories/${repo}/_uploads/`;
    const left = await harbor.send(new ListObjectsV2Command({ Bucket: stack.registry.bucket, Prefix: prefix }));
    expect((left.Contents ?? []).map((o) => o.Key!).filter((k) => !k.includes('/hashstates/'))).toEqual([]);
    const multipart = await harbor.send(new ListMultipartUploadsCommand({ Bucket: stack.registry.bucket, Prefix: prefix }));
    expect(multipart.Uploads ?? []).toEqual([]);
  });

  it('is refused by MinIO: creating a bucket, listing or reading another bucket, changing the bucket policy', async () => {
    const denied = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ name: 'AccessDenied' });
    await denied(harbor.send(new CreateBucketCommand({ Bucket: uniqueName('not-allowed') })));
    await denied(harbor.send(new ListObjectsV2Command({ Bucket: other })));
    await denied(harbor.send(new GetObjectCommand({ Bucket: other, Key: 'secret.txt' })));
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${stack.registry.bucket}/*`] }] };
    await denied(harbor.send(new PutBucketPolicyCommand({ Bucket: stack.registry.bucket, Policy: JSON.stringify(policy) })));
  });

  it('is refused by MinIO on any admin API call', async () => {
    const calls = [['admin', 'info', 'local'], ['admin', 'user', 'list', 'local'], ['admin', 'policy', 'list', 'local'], ['admin', 'config', 'get', 'local', 'api']];
    for (const args of calls) {
      // mc reports with `"status":"error"` in JSON (its exit code is 0 for some admin calls).
      const r = await asHarbor([...args, '--json']);
      expect(JSON.parse(r.stdout.trim().split('\n')[0]!).status, args.join(' ')).toBe('error');
      expect(r.stdout, args.join(' ')).toMatch(/Access Denied/);
    }
    // The root user gets the same calls answered: the refusals are the policy's.
    for (const args of calls) expect(JSON.parse((await root([...args, '--json'])).stdout.trim().split('\n')[0]!).status, args.join(' ')).toBe('success');
  });
});

/** The quoted error text `validate` predicts for the endpoint (what the registry will log). */
function predicted(problemLine: string): string[] {
  // Quoted parts, paired in order; the error texts are the ones with words (values and fixes are URLs).
  return [...problemLine.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).filter((q) => q.includes(' ') && /HTTP|API/.test(q));
}

describe("the seed's endpoint mistakes, reproduced against plain-HTTP MinIO", () => {
  const service = () => new URL(stack.minio.planEndpoint).hostname;
  const mistakes = () => [
    { title: 'https:// on the plain-HTTP API port', endpoint: `https://${service()}:9000` },
    { title: 'the console port', endpoint: `http://minio-console.${service().split('.').slice(1).join('.')}:9001` },
    { title: 'no scheme', endpoint: `${service()}:9000` },
  ];

  for (const i of [0, 1, 2]) {
    it(`mistake ${i + 1}: validate refuses it naming minio.endpoint and the fix; a registry given it fails as validate says`, async () => {
      const m = mistakes()[i]!;
      const v = await runCli(['validate', devVariant(`endpoint-${i}`, { endpoint: m.endpoint })], process.env);
      expect(v.code).toBe(1);
      // Every problem validate finds with the endpoint (the console mistake is two: its Service and its port).
      const lines = v.stderr.split('\n').filter((l) => l.startsWith('minio.endpoint: '));
      expect(lines.length, `${m.title}: ${v.stderr}`).toBeGreaterThan(0);
      for (const line of lines) expect(line).toContain(stack.minio.planEndpoint); // each fix names the endpoint to use
      const phrases = lines.flatMap(predicted);
      expect(phrases.length, lines.join('\n')).toBeGreaterThan(0);

      const registry = await startRegistry({ name: uniqueName(`mistake${i}`), bucket: stack.minio.bucket, store: 'minio', endpoint: m.endpoint });
      try {
        const client = stackRegistry(stack, registry.url, 20_000);
        const started = Date.now();
        await expect(pushImage(client, uniqueName('mistake/app'), 'v1', [10_000])).rejects.toThrow(/answered 50\d/);
        expect(Date.now() - started).toBeLessThan(120_000);
        const log = readFileSync(join(stack.dir, 'logs', `registry-${registry.name}.log`), 'utf8');
        for (const phrase of phrases) expect(log, m.title).toContain(phrase);
      } finally {
        await registry.stop();
      }
    }, 180_000);
  }

  it("the plan's endpoint works: the main registry runs on it", async () => {
    const written = readFileSync(join(stack.dir, 'registry/main/config.yml'), 'utf8');
    expect(written).toContain(`regionendpoint: ${stack.minio.planEndpoint}`);
    const v = await runCli(['validate', devVariant('endpoint-ok', { endpoint: stack.minio.planEndpoint })], process.env);
    expect(v.code, v.stderr).toBe(0);
    const client = stackRegistry(stack);
    const repo = uniqueName('plan/app');
    const image = await pushImage(client, repo, 'v1', [20_000]);
    await pullImage(client, repo, 'v1', image);
  });
});
