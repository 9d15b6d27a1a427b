import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

/** Runs the CLI's entry with buffers for stdout and stderr. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function temp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hp-streams-')), name);
  writeFileSync(file, text);
  return file;
}

describe('refusals and errors go to stderr, results to stdout', () => {
  it('validate prints its problems on stderr and nothing on stdout', async () => {
    const r = await cli('validate', temp('dev.yaml', 'name: dev\nstage: staging\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toContain('stage: "staging" is not allowed: use one of "dev", "prod"');
  });

  it('validate of malformed YAML names line and column on stderr', async () => {
    const r = await cli('validate', temp('dev.yaml', 'name: dev\n  stage: [\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^line \d+, column \d+: malformed YAML/m);
  });

  it('plan --previous prints the changes it refuses on stderr and no plan on stdout', async () => {
    const previous = temp('plan.json', (await cli('plan', '--env', 'prod', '--json')).stdout);
    const grown = temp('prod.yaml', readFileSync(join(REPO, 'environments', 'prod.yaml'), 'utf8').replace('driveSize: 500Gi', 'driveSize: 1Ti'));
    const r = await cli('plan', '--config', grown, '--previous', previous);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^minio\.pools\[0\]\.driveSize: changes from 500Gi to 1Ti/m);
  });

  it('no command is a usage error: the overview goes to stderr with exit 2; help and --help print it on stdout with exit 0', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^usage: harbor-platform <command>/);
    for (const ask of ['help', '--help', '-h']) {
      const r = await cli(ask);
      expect(r.code, ask).toBe(0);
      expect(r.stderr, ask).toBe('');
      expect(r.stdout, ask).toMatch(/^usage: harbor-platform <command>/);
    }
  });

  it('a valid file still says so on stdout', async () => {
    const r = await cli('validate', join(REPO, 'environments', 'dev.yaml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: valid \(dev, dev\)$/);
  });
});

describe('validate compares a file with the other environments', () => {
  it('refuses a copy of prod renamed to qa, naming prod.yaml and each field it shares', async () => {
    const copy = readFileSync(join(REPO, 'environments', 'prod.yaml'), 'utf8').replace(/^name: prod$/m, 'name: qa');
    const file = temp('qa.yaml', copy);
    const r = await cli('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines.find((l) => l.startsWith('velero.backupBucket: '))).toMatch(/is also the velero\.backupBucket of environments\/prod\.yaml \(S3 bucket names are global/);
    expect(lines.find((l) => l.startsWith('registryBackup.bucket: '))).toMatch(/of environments\/prod\.yaml/);
    expect(lines.find((l) => l.startsWith('network.vpcCidr: '))).toMatch(/is the network\.vpcCidr of environments\/prod\.yaml .* in the same account/);
    expect(lines.find((l) => l.startsWith('minio.rootCredentialsSecret: '))).toContain('that environments/prod.yaml uses as minio.rootCredentialsSecret');
    expect(lines.at(-1)).toMatch(/qa\.yaml: \d+ problem\(s\)$/);
  });

  it('validate --all checks every committed environment, each line starting with its file', async () => {
    const r = await cli('validate', '--all');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([expect.stringMatching(/environments\/dev\.yaml: valid \(dev, dev\)$/), expect.stringMatching(/environments\/prod\.yaml: valid \(prod, prod\)$/)]);
    // dev's warnings (its zonal database and Redis, accepted by name) go to stderr, each starting with its file.
    expect(r.stderr).toMatch(/^environments\/dev\.yaml: warning: harbor\.database: .*\(accepted in harbor\.acceptZonalState\)$/m);
  });

  it('validate refuses a file and --all together', async () => {
    const r = await cli('validate', '--all', 'environments/dev.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give a file or --all, not both');
  });
});
