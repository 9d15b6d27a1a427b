import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { COMMANDS } from '../src/commands/index.js';

const run = promisify(execFile);
const OPS = join(import.meta.dirname, '..');
const REPO = join(OPS, '..', '..');

describe('the command list', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s loads a command of that name whose usage starts with it', async (name, entry) => {
    const command = await entry.load();
    expect(command.name).toBe(name);
    expect(command.help.trimStart().startsWith(`${name} `)).toBe(true);
  });

  it('the overview names every command with its summary', async () => {
    const out: string[] = [];
    expect(await main(['--help'], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(0);
    for (const c of COMMANDS) expect(out.join('\n')).toContain(`  ${c.name.padEnd(Math.max(...COMMANDS.map((x) => x.name.length)))}  ${c.summary}`);
  });
});

// A CLI process loads the bundle's start-up chunk and the chunks of the one command it runs.
// The load hook lists every file a process loads; esbuild's ESM output keeps each bundled
// module's path as a comment, which says what a chunk holds. The hook runs on its own thread:
// it writes each line synchronously before the load goes on, since console.error there is
// asynchronous and a process that ends at once (--help) could exit before the lines are out.
const HOOK = 'import { writeSync } from "node:fs"; '
  + 'export async function load(url, context, next) { if (url.startsWith("file:")) writeSync(2, "LOADED " + url + "\\n"); return next(url, context); }';
const LIST_LOADS = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));`,
)}`;

describe('the bundled CLI (what npm ci builds)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hp-bundle-'));
    await run(process.execPath, [join(REPO, 'scripts/bundle.mjs'), dir, 'src/cli.ts'], { cwd: OPS });
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The bundled modules (node_modules packages) a process running `args` loads. */
  async function packagesLoaded(...args: string[]): Promise<Set<string>> {
    const script = `const m = await import(${JSON.stringify(join(dir, 'cli.mjs'))}); process.exitCode = await m.main(${JSON.stringify(args)});`;
    const { stderr } = await run(process.execPath, ['--import', LIST_LOADS, '--input-type=module', '-e', script], { cwd: REPO });
    const files = [...stderr.matchAll(/^LOADED (file:\S+)$/gm)].map((m) => fileURLToPath(m[1]!)).filter((f) => f.startsWith(dir));
    const packages = new Set<string>();
    for (const file of files) for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ \S*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm)) packages.add(m[1]!);
    return packages;
  }

  it("verify starts without the other commands' clients: no AWS SDK, Kubernetes, GitHub, LDAP or YAML", async () => {
    const loaded = await packagesLoaded('verify', '--help');
    expect(loaded).toContain('p-limit');
    for (const heavy of ['@aws-sdk/client-s3', '@kubernetes/client-node', '@octokit/rest', 'ldapts', 'yaml']) expect(loaded).not.toContain(heavy);
  }, 60_000);

  it.each(['drift', 'drill', 'restore', 'preflight', 'github-setup'])('%s --help loads its declaration, not the -run module with its clients', async (name) => {
    const loaded = await packagesLoaded(name, '--help');
    for (const heavy of ['@aws-sdk/client-s3', '@aws-sdk/client-ssm', '@kubernetes/client-node', '@octokit/rest']) expect(loaded, heavy).not.toContain(heavy);
  }, 60_000);

  it('registry-backup loads the AWS SDK it needs (the same lookup finds a dependency that is there)', async () => {
    const loaded = await packagesLoaded('registry-backup', '--help');
    expect(loaded).toContain('@aws-sdk/client-s3');
    expect(loaded).not.toContain('@kubernetes/client-node');
  }, 60_000);
});
