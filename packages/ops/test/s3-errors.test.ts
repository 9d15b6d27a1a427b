import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliWithEnv } from './support/cli-env.js';
import { parseS3Url } from '../src/s3/location.js';
import { ObjectStore } from '../src/s3/store.js';

/**
 * S3 error responses as the S3 API documents them (and MinIO writes them): an XML <Error> with
 * Code and Message, the status of the code's row in the list.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
const ERRORS: Record<string, [number, string, string]> = {
  denied: [403, 'AccessDenied', 'Access Denied.'],
  missing: [404, 'NoSuchBucket', 'The specified bucket does not exist'],
  expired: [400, 'ExpiredToken', 'The provided token has expired.'],
};

let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const bucket = new URL(req.url!, 'http://x').pathname.split('/')[1]!;
    const [status, code, message] = ERRORS[bucket] ?? [500, 'InternalError', 'unexpected bucket in the test'];
    res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': '187C5E4D3F6A2B10' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName><Resource>/${bucket}</Resource><RequestId>187C5E4D3F6A2B10</RequestId><HostId>dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8</HostId></Error>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the CLI's entry with only these HARBOR_PLATFORM_* / AWS_* variables. */
const cli = (args: string[], env: Record<string, string>) => runCliWithEnv(args, env, /^(HARBOR_PLATFORM_|AWS_)/);

const KEYS = { HARBOR_PLATFORM_S3_ACCESS_KEY_ID: 'harbor-test', HARBOR_PLATFORM_S3_SECRET_ACCESS_KEY: 'not-a-real-secret' };
const restore = (source: string, target = 's3://restored') => ['registry-restore', '--source', source, '--target', target];
const PREFIX = 'harbor-platform registry-restore: registry-restore from';

describe('registry-restore turns S3 failures into one line naming the bucket and the fix', () => {
  it('AccessDenied on the source', async () => {
    const r = await cli(restore('s3://denied/registry/prod'), { ...KEYS, HARBOR_PLATFORM_S3_ENDPOINT: endpoint });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `${PREFIX} s3://denied/registry/prod to s3://restored: s3://denied/registry/prod: access denied (AccessDenied (403) Access Denied.): ` +
        'give the credentials in use (HARBOR_PLATFORM_SOURCE_S3_ACCESS_KEY_ID and HARBOR_PLATFORM_SOURCE_S3_SECRET_ACCESS_KEY, else the AWS SDK chain) s3:ListBucket and s3:GetObject on s3://denied and this prefix',
    );
  });

  it('NoSuchBucket on the source', async () => {
    const r = await cli(restore('s3://missing/registry'), { ...KEYS, HARBOR_PLATFORM_S3_ENDPOINT: endpoint });
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${PREFIX} s3://missing/registry to s3://restored: s3://missing: no such bucket (NoSuchBucket (404) The specified bucket does not exist) at ${endpoint}: create it, or correct the bucket name in --source`);
  });

  it('expired credentials', async () => {
    const r = await cli(restore('s3://expired/registry'), { ...KEYS, HARBOR_PLATFORM_S3_ENDPOINT: endpoint });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `${PREFIX} s3://expired/registry to s3://restored: s3://expired/registry: the credentials were refused (ExpiredToken (400) The provided token has expired.): ` +
        'renew them (aws sso login, or a new session for the role), or set HARBOR_PLATFORM_SOURCE_S3_ACCESS_KEY_ID and HARBOR_PLATFORM_SOURCE_S3_SECRET_ACCESS_KEY',
    );
  });

  it('an endpoint nobody listens on', async () => {
    const r = await cli(restore('s3://backup/registry'), { ...KEYS, HARBOR_PLATFORM_S3_ENDPOINT: 'http://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^harbor-platform registry-restore: registry-restore from s3:\/\/backup\/registry to s3:\/\/restored: s3:\/\/backup\/registry: cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\): check HARBOR_PLATFORM_SOURCE_S3_ENDPOINT and that the store is up$/);
  }, 30_000);

  it('no credentials anywhere in the SDK chain', async () => {
    const r = await cli(restore('s3://backup/registry'), {
      AWS_REGION: 'eu-central-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^harbor-platform registry-restore: registry-restore from s3:\/\/backup\/registry to s3:\/\/restored: s3:\/\/backup\/registry: no AWS credentials found \(CredentialsProviderError .+\): set HARBOR_PLATFORM_SOURCE_S3_ACCESS_KEY_ID and HARBOR_PLATFORM_SOURCE_S3_SECRET_ACCESS_KEY, or AWS_PROFILE or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY \(aws sso login for a profile\)$/,
    );
  }, 30_000);

  it('names the target store and its option when the target bucket is missing', async () => {
    const target = new ObjectStore(parseS3Url('s3://missing/restored', { endpoint, ...{ accessKeyId: 'harbor-test', secretAccessKey: 'not-a-real-secret' } }), 'target');
    await expect(target.isEmpty()).rejects.toThrow(`s3://missing: no such bucket (NoSuchBucket (404) The specified bucket does not exist) at ${endpoint}: create it, or correct the bucket name in --target`);
  });
});
