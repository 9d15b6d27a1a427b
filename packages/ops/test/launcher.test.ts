import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'harbor-platform.js');

/** A package folder holding the real launcher and whichever builds `files` gives (path -> text). */
function pkg(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hp-launcher-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(BIN, join(dir, 'bin', 'harbor-platform.js'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function launch(dir: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.HARBOR_PLATFORM_DEBUG;
  return spawnSync(process.execPath, [join(dir, 'bin', 'harbor-platform.js'), ...args], { encoding: 'utf8', env, timeout: 30_000 });
}

const cli = (name: string) => `export async function main(argv) { console.log('${name} ' + argv.join(' ')); return 3; }\n`;

describe('bin/harbor-platform.js (the launcher npm links)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('says in one line what to run when the CLI is not built (an install with --ignore-scripts)', () => {
    const dir = pkg({});
    dirs.push(dir);
    const r = launch(dir, 'validate', 'environments/dev.yaml');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('harbor-platform: the CLI is not built yet: run "npm run bundle" (or "npm ci", which runs it) in the repository root\n');
  });

  it('runs the newer of the bundle and the tsc build, passing the arguments and the exit code', () => {
    const dir = pkg({ 'bundle/cli.mjs': cli('bundle'), 'lib/cli.js': cli('lib') });
    dirs.push(dir);
    const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
    at('bundle/cli.mjs', 2_000_000_000);
    at('lib/cli.js', 1_000_000_000);
    let r = launch(dir, 'plan', '--env', 'dev');
    expect([r.status, r.stdout]).toEqual([3, 'bundle plan --env dev\n']);
    at('lib/cli.js', 2_100_000_000);
    r = launch(dir, 'plan');
    expect([r.status, r.stdout]).toEqual([3, 'lib plan\n']);
  });

  it('names a missing dependency and the command that installs it, without a stack trace', () => {
    const dir = pkg({ 'lib/cli.js': `import 'no-such-package-harbor-platform';\n${cli('lib')}` });
    dirs.push(dir);
    const r = launch(dir, 'validate');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('harbor-platform: no-such-package-harbor-platform is missing: run "npm ci" in the repository root\n');
  });

  it('names a dependency missing when the command loads its module (commands load on first use)', () => {
    const lazy = 'export async function main() { await import("no-such-package-harbor-platform"); return 0; }\n';
    const dir = pkg({ 'bundle/cli.mjs': lazy });
    dirs.push(dir);
    const r = launch(dir, 'verify', '--help');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('harbor-platform: no-such-package-harbor-platform is missing: run "npm ci" in the repository root\n');
  });

  it('names a workspace package that is not built and says to build', () => {
    const dir = pkg({ 'lib/cli.js': `import '../../packages/config/lib/index.js';\n${cli('lib')}` });
    dirs.push(dir);
    const r = launch(dir, 'validate');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^harbor-platform: \S+[\\/]config[\\/]lib[\\/]index\.js is missing: run "npm run build" in the repository root\n$/);
  });
});
