import { describe, expect, it } from 'vitest';
import { CommandError } from '../src/cli/command.js';
import { asCommandError } from '../src/cli/registry-args.js';
import { AssemblyError, BackupError, DriftError, DrillError, HarborError, InventoryError, KubeError, OpsError, RegistryError, S3Error, VeleroError } from '../src/errors.js';
import { parseDigest } from '../src/registry/digest.js';
import { RegistryHttpError, RegistryUnreachableError } from '../src/registry/errors.js';
import { S3StoreError } from '../src/s3/errors.js';
import { parseS3Url } from '../src/s3/location.js';

const KINDS = [AssemblyError, BackupError, DriftError, DrillError, HarborError, InventoryError, KubeError, RegistryError, S3Error, VeleroError];

describe('the operations library\'s errors', () => {
  it.each(KINDS.map((k) => [k.name, k] as const))('%s is an OpsError named for its class, its message as given', (name, Kind) => {
    const err = new Kind('what failed: the fix');
    expect(err).toBeInstanceOf(OpsError);
    expect(err.name).toBe(name);
    expect(err.message).toBe('what failed: the fix');
    expect(String(err)).toBe(`${name}: what failed: the fix`);
  });

  it('keeps the registry\'s and the store\'s own errors in the family', () => {
    expect(new RegistryUnreachableError('http://127.0.0.1:5000', 3, 'ECONNREFUSED')).toBeInstanceOf(RegistryError);
    expect(new RegistryHttpError('GET', 'http://127.0.0.1:5000/v2/', 500, [])).toBeInstanceOf(RegistryError);
    expect(new S3StoreError('s3://b: access denied', 'access-denied', undefined)).toBeInstanceOf(S3Error);
  });

  it('throws them where the input is bad, with the message naming the fix', () => {
    const endpoint = { url: 'http://127.0.0.1:7480' } as Parameters<typeof parseS3Url>[1];
    expect(() => parseS3Url('s3://Bad_Bucket/x', endpoint, '--source')).toThrow(
      new S3Error('--source "s3://Bad_Bucket/x": "Bad_Bucket" is not a valid bucket name (3-63 lower-case letters, digits, dots, hyphens)'),
    );
    expect(() => parseS3Url('s3://Bad_Bucket/x', endpoint)).toThrow(S3Error);
    expect(() => parseDigest('sha256:abc', 'manifest')).toThrow(RegistryError);
  });
});

describe('asCommandError: what a registry command prints', () => {
  it('turns an OpsError into one line naming what was being done (exit 1)', () => {
    const out = asCommandError(new BackupError('s3://b holds no inventory: refusing to prune a copy nothing describes'), 'registry-backup from A to B');
    expect(out).toBeInstanceOf(CommandError);
    expect((out as CommandError).message).toBe('registry-backup from A to B: s3://b holds no inventory: refusing to prune a copy nothing describes');
    expect((out as CommandError).exitCode).toBe(1);
  });

  it('leaves a programming error (TypeError) unexpected, so its stack can be shown', () => {
    const bug = new TypeError('x is undefined');
    expect(asCommandError(bug, 'smoke')).toBe(bug);
  });
});
