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
