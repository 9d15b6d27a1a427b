import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

/** Runs the CLI's entry without any HARBOR_PLATFORM_* variable; returns the exit code and stderr's first line. */
async function cli(args: string[]) {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('HARBOR_PLATFORM_')) delete process.env[key];
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), first: err.join('\n').split('\n')[0] };
  } finally {
    process.env = saved;
  }
}

const REGISTRY = ['--registry', 'http://127.0.0.1:1'];
const NOT_A_DURATION = '"abc" is not a duration: use e.g. 90s, 15m';

describe('option parse errors name the option given', () => {
  it.each([
    ['harbor-gc', ['--env', 'dev', '--timeout', 'abc'], `--timeout: ${NOT_A_DURATION}`],
    ['ldap-check', ['--env', 'dev', '--timeout', 'abc'], `--timeout: ${NOT_A_DURATION}`],
    ['smoke', [...REGISTRY, '--timeout', 'abc'], `--timeout: ${NOT_A_DURATION}`],
    ['inventory', [...REGISTRY, '--out', '/tmp/never.json', '--timeout', 'abc'], `--timeout: ${NOT_A_DURATION}`],
    ['verify', [...REGISTRY, '--inventory', 'x.json', '--timeout', 'abc'], `--timeout: ${NOT_A_DURATION}`],
    ['registry-backup', [...REGISTRY, '--source', 's3://registry', '--target', 's3://backup', '--timeout', 'abc'], `--timeout: ${NOT_A_DURATION}`],
    ['harbor-gc', ['--env', 'dev', '--timeout', '2h'], '--timeout: "2h" is out of range: use from 1s to 1h'],
    ['smoke', [...REGISTRY, '--timeout', '0'], '--timeout: "0" is out of range: use from 1s to 1h'],
    ['smoke', [...REGISTRY, '--size', '12x'], '--size: "12x" is not a whole number from 1 to 4294967296: use e.g. 8388608'],
    ['inventory', [...REGISTRY, '--out', '/tmp/never.json', '--concurrency', 'many'], '--concurrency: "many" is not a whole number from 1 to 256: use e.g. 8'],
    ['verify', [...REGISTRY, '--inventory', 'x.json', '--concurrency', '0'], '--concurrency: "0" is not a whole number from 1 to 256: use e.g. 8'],
    ['verify', [...REGISTRY, '--inventory', 'x.json', '--sample', 'half'], '--sample: "half" is not a fraction from 0 to 1: use e.g. 0.1'],
    ['registry-backup', [...REGISTRY, '--source', 's3://registry', '--target', 's3://backup', '--concurrency=-1'], '--concurrency: "-1" is not a whole number from 1 to 256: use e.g. 8'],
    ['registry-backup', [...REGISTRY, '--source', 's3://registry', '--target', 's3://backup', '--prune', '--keep', 'all'], '--keep: "all" is not a whole number from 1 to 100000: use e.g. 1'],
    ['registry-restore', ['--source', 's3://registry', '--target', 's3://backup', '--concurrency', '1.5'], '--concurrency: "1.5" is not a whole number from 1 to 256: use e.g. 8'],
  ])('%s %j', async (command, args, message) => {
    const r = await cli([command, ...args]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.first).toBe(`harbor-platform ${command}: ${message}`);
  });

  it.each([['90', 90_000], ['90s', 90_000], ['15m', 900_000], ['1h', 3_600_000], ['1500ms', 1500]])('a duration of %s is %i ms', async (text, ms) => {
    const { durationOption } = await import('../src/cli/command.js');
    expect(durationOption({ values: { timeout: text }, positionals: [] }, 'timeout', 30_000, 1000, 3_600_000)).toBe(ms);
  });
});
