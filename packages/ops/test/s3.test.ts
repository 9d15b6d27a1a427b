import { describe, expect, it } from 'vitest';
import { classifyKey } from '../src/registry/storage-layout.js';
import { confirmedBySourceEtag, planCopy } from '../src/s3/copy-plan.js';
import { endpointFromEnv, formatLocation, parseS3Url } from '../src/s3/location.js';
import { ObjectStore } from '../src/s3/store.js';

const BLOB = 'docker/registry/v2/blobs/sha256/45/45808cbbe748300a958c5ec90ad85cb33dfcc38c1c36aeb463eb8aa8f178f9bc/data';
const TAG = 'docker/registry/v2/repositories/app/_manifests/tags/v1/current/link';
const contentAddressed = (key: string) => classifyKey(key).kind === 'blob';

describe('s3:// URLs', () => {
  it('split into bucket and prefix, without stray slashes', () => {
    expect(parseS3Url('s3://harbor-registry', {})).toMatchObject({ bucket: 'harbor-registry', prefix: '' });
    expect(parseS3Url('s3://backup/registry/prod/', {})).toMatchObject({ bucket: 'backup', prefix: 'registry/prod' });
    expect(formatLocation(parseS3Url('s3://backup/registry/', {}))).toBe('s3://backup/registry');
  });

  it('are refused with the expected form', () => {
    expect(() => parseS3Url('backup/registry', {}, '--target')).toThrow('--target "backup/registry" is not an S3 URL: write s3://<bucket>[/<prefix>]');
    expect(() => parseS3Url('s3://Bad_Bucket/x', {}, '--source')).toThrow(/"Bad_Bucket" is not a valid bucket name/);
  });
});

describe('endpoint settings from the environment', () => {
  it('prefer the role-specific variables over the shared ones', () => {
    const env = {
      HARBOR_PLATFORM_S3_ENDPOINT: 'http://127.0.0.1:9000',
      HARBOR_PLATFORM_TARGET_S3_ENDPOINT: 'http://127.0.0.1:7480',
      HARBOR_PLATFORM_S3_ACCESS_KEY_ID: 'shared-id',
      HARBOR_PLATFORM_S3_SECRET_ACCESS_KEY: 'shared-secret',
    };
    expect(endpointFromEnv('target', env)).toEqual({ endpoint: 'http://127.0.0.1:7480', region: undefined, accessKeyId: 'shared-id', secretAccessKey: 'shared-secret' });
    expect(endpointFromEnv('source', env).endpoint).toBe('http://127.0.0.1:9000');
  });

  it('leave everything to the AWS SDK chain when nothing is set', () => {
    expect(endpointFromEnv('source', {})).toEqual({ endpoint: undefined, region: undefined, accessKeyId: undefined, secretAccessKey: undefined });
  });

  it('refuse half a key pair and an endpoint without scheme, naming the variable', () => {
    expect(() => endpointFromEnv('source', { HARBOR_PLATFORM_SOURCE_S3_ACCESS_KEY_ID: 'id' })).toThrow(/HARBOR_PLATFORM_SOURCE_S3_SECRET_ACCESS_KEY \(or HARBOR_PLATFORM_S3_SECRET_ACCESS_KEY\) is not set/);
    expect(() => endpointFromEnv('target', { HARBOR_PLATFORM_TARGET_S3_ENDPOINT: 'minio:9000' })).toThrow(/HARBOR_PLATFORM_TARGET_S3_ENDPOINT="minio:9000" must start with http/);
  });

  it('let the server copy only between stores on one endpoint with one key pair', () => {
    const e = { endpoint: 'http://127.0.0.1:7480', accessKeyId: 'a', secretAccessKey: 'b' };
    const a = new ObjectStore(parseS3Url('s3://one', e));
    expect(a.sharesEndpointWith(new ObjectStore(parseS3Url('s3://two/x', e)))).toBe(true);
    expect(a.sharesEndpointWith(new ObjectStore(parseS3Url('s3://two', { ...e, endpoint: 'http://localhost:7480' })))).toBe(false);
    expect(a.sharesEndpointWith(new ObjectStore(parseS3Url('s3://two', { ...e, accessKeyId: 'c' })))).toBe(false);
  });

  it('resolve relative keys under the prefix', () => {
    expect(new ObjectStore(parseS3Url('s3://bkp/registry', {})).fullKey('docker/x')).toBe('registry/docker/x');
    expect(new ObjectStore(parseS3Url('s3://bkp', {})).fullKey('docker/x')).toBe('docker/x');
  });
});

describe('incremental copy planning', () => {
  it('copies what the target lacks or holds with another size', () => {
    const plan = planCopy(
      [
        { key: BLOB, size: 10, etag: 'e1-1' },
        { key: TAG, size: 71, etag: 'md5a' },
        { key: 'x', size: 5, etag: 'e' },
      ],
      [
        { key: BLOB, size: 9, etag: 'e1-1' },
        { key: 'x', size: 5, etag: 'e' },
      ],
      { contentAddressed },
    );
    expect(plan.copy.map((c) => [c.object.key, c.reason])).toEqual([
      [BLOB, 'size'],
      [TAG, 'missing'],
    ]);
    expect(plan.unchanged).toBe(1);
  });

  it('copies nothing when source and target agree (a second run over an unchanged registry)', () => {
    const objects = [
      { key: BLOB, size: 10, etag: 'e1-1' },
      { key: TAG, size: 71, etag: 'md5a' },
    ];
    expect(planCopy(objects, objects, { contentAddressed })).toEqual({ copy: [], confirm: [], unchanged: 2 });
  });

  it('trusts a blob of equal size whatever its ETag: its key is its digest', () => {
    const plan = planCopy([{ key: BLOB, size: 10, etag: 'multipart-3' }], [{ key: BLOB, size: 10, etag: 'kms-etag' }], { contentAddressed });
    expect(plan).toEqual({ copy: [], confirm: [], unchanged: 1 });
  });

  it('copies a re-pointed tag link: same size, another checksum', () => {
    const plan = planCopy([{ key: TAG, size: 71, etag: 'md5-new' }], [{ key: TAG, size: 71, etag: 'md5-old' }], { contentAddressed });
    expect(plan.confirm.map((o) => o.key)).toEqual([TAG]);
    expect(confirmedBySourceEtag(plan.confirm[0]!, 'md5-old')).toBe(false);
    expect(confirmedBySourceEtag(plan.confirm[0]!, 'md5-new')).toBe(true);
    expect(confirmedBySourceEtag(plan.confirm[0]!, undefined)).toBe(false);
  });
});
