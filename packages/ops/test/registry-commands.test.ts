import { describe, expect, it } from 'vitest';
import { runCliWithEnv } from './support/cli-env.js';

/** Runs the CLI in-process with the given environment (no other HARBOR_PLATFORM_* variable); returns exit code and output. */
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCliWithEnv(args, env);

describe('registry commands', () => {
  it.each(['smoke', 'inventory', 'verify', 'registry-backup'])('%s --help names the credential variables, never a credential option', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('HARBOR_PLATFORM_REGISTRY_USERNAME, HARBOR_PLATFORM_REGISTRY_PASSWORD');
    expect(r.out).not.toMatch(/--(password|username|token)\b/);
  });

  it.each(['registry-backup', 'registry-restore'])('%s --help names the S3 variables of both sides', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.out).toContain('HARBOR_PLATFORM_SOURCE_S3_{ENDPOINT,REGION,ACCESS_KEY_ID,SECRET_ACCESS_KEY}');
    expect(r.out).toContain('HARBOR_PLATFORM_TARGET_S3_{ENDPOINT,REGION,ACCESS_KEY_ID,SECRET_ACCESS_KEY}');
  });

  it('refuses a missing --registry and a registry URL without scheme (exit 2)', async () => {
    expect(await cli(['smoke'])).toMatchObject({ code: 2, err: expect.stringContaining('--registry is required') });
    expect(await cli(['smoke', '--registry', 'registry.example.com:5000'])).toMatchObject({ code: 2, err: expect.stringContaining('must start with http:// or https://') });
  });

  it('refuses half of the credentials, naming the missing variable', async () => {
    const r = await cli(['smoke', '--registry', 'http://127.0.0.1:1'], { HARBOR_PLATFORM_REGISTRY_USERNAME: 'robot' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('HARBOR_PLATFORM_REGISTRY_PASSWORD is not set');
  });

  it('refuses --all with --sample, and a sample outside 0..1', async () => {
    const base = ['verify', '--registry', 'http://127.0.0.1:1', '--inventory', 'x.json'];
    expect(await cli([...base, '--all', '--sample', '0.1'])).toMatchObject({ code: 2, err: expect.stringContaining('give --all or --sample, not both') });
    expect(await cli([...base, '--sample', '1.5'])).toMatchObject({ code: 2, err: expect.stringContaining('--sample: "1.5" is not a fraction from 0 to 1: use e.g. 0.1') });
  });

  it('refuses --prune without --keep and --keep without --prune', async () => {
    const base = ['registry-backup', '--registry', 'http://127.0.0.1:1', '--source', 's3://registry', '--target', 's3://backup'];
    expect(await cli([...base, '--prune'])).toMatchObject({ code: 2, err: expect.stringContaining('--prune needs --keep <n>') });
    expect(await cli([...base, '--keep', '2'])).toMatchObject({ code: 2, err: expect.stringContaining('--keep only applies with --prune') });
  });

  it('refuses a target that is not an s3:// URL', async () => {
    const r = await cli(['registry-restore', '--source', 's3://backup', '--target', '/tmp/restore']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--target "/tmp/restore" is not an S3 URL: write s3://<bucket>[/<prefix>]');
  });

  it('fails with one line, exit 1, when the registry is unreachable', async () => {
    const r = await cli(['inventory', '--registry', 'http://127.0.0.1:1', '--out', '/tmp/never.json', '--timeout', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^harbor-platform inventory: inventory of http:\/\/127\.0\.0\.1:1 failed: registry http:\/\/127\.0\.0\.1:1 unreachable after 4 attempt\(s\): connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });
});
