import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/cli/exit-codes.js';
import { main } from '../src/cli.js';
import { COMMANDS } from '../src/commands/index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The rows of the first Markdown table under `heading` whose header starts with `firstColumn`, as cells. */
function tableRows(markdown: string, heading: string, firstColumn: string): string[][] {
  const at = `\n${markdown}`.indexOf(`\n${heading}\n`);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const section = markdown.slice(at);
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${firstColumn} |`));
  expect(start, `a table headed "| ${firstColumn} |" under ${heading}`).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')));
  }
  return rows;
}

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

describe("the README's CLI section agrees with the CLI's own declarations", () => {
  it('lists every command with its summary, in the order --help lists them', () => {
    expect(tableRows(README, '## The CLI', 'command')).toEqual(COMMANDS.map((c) => [`\`${c.name}\``, c.summary]));
  });

  it('lists the exit statuses the CLI declares', () => {
    expect(tableRows(README, '## The CLI', 'exit status')).toEqual(EXIT_CODES.map((e) => [String(e.code), e.meaning]));
  });

  it("packages/ops/README.md's table names exactly the commands", () => {
    const ops = readFileSync(join(REPO, 'packages', 'ops', 'README.md'), 'utf8');
    const named = tableRows(ops, '# @harbor-platform/ops', 'command').flatMap((r) => [...r[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
    expect(named).toEqual(COMMANDS.map((c) => c.name));
  });

  it('every exit status a command documents is one the CLI declares', async () => {
    const declared = new Set(EXIT_CODES.map((e) => e.code));
    for (const entry of COMMANDS) {
      const help = (await entry.load()).help;
      const status = /exit status: ([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '';
      for (const m of status.matchAll(/(?:^|[,;:]\s*)(\d+) /g)) expect(declared, `${entry.name}: exit ${m[1]}`).toContain(Number(m[1]));
    }
  });

  it('the overview lists the exit statuses', async () => {
    const r = await cli('help');
    for (const e of EXIT_CODES) expect(r.out).toContain(`  ${e.code}  ${e.meaning}`);
  });
});

describe('help and version', () => {
  it.each(COMMANDS.map((c) => c.name))('help %s prints exactly what %s --help prints', async (name) => {
    const viaHelp = await cli('help', name);
    const viaOption = await cli(name, '--help');
    expect(viaHelp).toEqual(viaOption);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toMatch(new RegExp(`^usage: harbor-platform ${name} `));
  });

  it('help of an unknown command is a usage error', async () => {
    const r = await cli('help', 'deploy-everything');
    expect(r.code).toBe(2);
    expect(r.err).toContain('harbor-platform: unknown command "deploy-everything"');
  });

  it.each(['--version', '-V'])('%s prints the package version', async (flag) => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'packages', 'ops', 'package.json'), 'utf8')) as { version: string };
    expect(await cli(flag)).toEqual({ code: 0, out: `harbor-platform ${version}`, err: '' });
  });
});
