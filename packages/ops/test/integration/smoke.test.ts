/**
 * `harbor-platform smoke` against the real registry: the round trip, an independent pull of
 * the kept image by skopeo with identical digests, and the object store stopped mid-push.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureStack, startService, stopService, type LocalStackEnv } from '../support/local-stack.js';
import { cliEnv, ensureCliBuilt, runCli, skopeoAuthFile, stackStore, uniqueName } from '../support/registry-tools.js';

const run = promisify(execFile);
let stack: LocalStackEnv;

beforeAll(async () => {
  stack = await ensureStack();
  ensureCliBuilt();
});

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('smoke', () => {
  it('pushes, pulls back and deletes a synthetic image, exact digest for digest', async () => {
    const repo = uniqueName('smoke/roundtrip');
    const r = await runCli(['smoke', '--registry', stack.registry.url, '--repository', repo, '--size', String(3 * 1024 * 1024), '--json'], cliEnv(stack));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ ok: true, repository: repo, deleted: true, problems: [] });
    expect(result.blobs.map((b: { upload: string }) => b.upload)).toEqual(['chunked', 'monolithic', 'monolithic']);
    // Deleted: the tag no longer resolves.
    const gone = await fetch(`${stack.registry.url}/v2/${repo}/manifests/${result.tag}`, {
      method: 'HEAD',
      headers: { authorization: `Basic ${Buffer.from(`${stack.registry.username}:${stack.registry.password}`).toString('base64')}` },
    });
    expect(gone.status).toBe(404);
  });

  it('keeps the image with --keep, and skopeo pulls it back with identical digests', async () => {
    const repo = uniqueName('smoke/keep');
    const r = await runCli(['smoke', '--registry', stack.registry.url, '--repository', repo, '--size', '200000', '--keep', '--json'], cliEnv(stack));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { tag: string; manifestDigest: string; blobs: { digest: string }[] };
    const work = mkdtempSync(join(tmpdir(), 'skopeo-'));
    const dir = join(work, 'image');
    const ref = `docker://${new URL(stack.registry.url).host}/${repo}:${result.tag}`;
    const authfile = skopeoAuthFile(stack, stack.registry.url, work);
    await run('skopeo', ['copy', '--preserve-digests', '--src-tls-verify=false', '--src-authfile', authfile, ref, `dir:${dir}`], { timeout: 60_000 });
    expect(sha256(readFileSync(join(dir, 'manifest.json')))).toBe(result.manifestDigest);
    const blobs = readdirSync(dir).filter((f) => /^[a-f0-9]{64}$/.test(f));
    expect(blobs.map((f) => `sha256:${f}`).sort()).toEqual(result.blobs.map((b) => b.digest).sort());
    for (const f of blobs) expect(sha256(readFileSync(join(dir, f)))).toBe(`sha256:${f}`);
  });

  it('fails with one clear line, in bounded time, when every MinIO server stops during the push', async () => {
    const repo = uniqueName('smoke/store-down');
    const uploads = stackStore(stack, stack.registry.bucket, '', stack.registry.store);
    const smoke = runCli(['smoke', '--registry', stack.registry.url, '--repository', repo, '--size', String(48 * 1024 * 1024), '--timeout', '10'], cliEnv(stack), 150_000);
    try {
      // The store goes down once the registry has opened the upload session in it.
      const deadline = Date.now() + 30_000;
      while ((await uploads.list(`docker/registry/v2/repositories/${repo}/_uploads/`)).length === 0) {
        if (Date.now() > deadline) throw new Error('the smoke upload never started');
        await new Promise((r) => setTimeout(r, 50));
      }
      await stopService('minio');
      const r = await smoke;
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^harbor-platform smoke: smoke of ${stack.registry.url} failed: .*(answered 50\\d|unreachable)`));
      expect(r.ms).toBeLessThan(120_000);
    } finally {
      await smoke;
      // A stopped store must never leak into the next test or file.
      await startService('minio');
      uploads.client.destroy();
    }
  });
});
