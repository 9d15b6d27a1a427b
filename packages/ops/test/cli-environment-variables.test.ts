import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from '../src/cli/declare.js';
import { COMMANDS } from '../src/commands/index.js';

const SRC = join(import.meta.dirname, '..', 'src');

/**
 * Variables read alike wherever they are, documented once rather than in each command's help:
 * CI (progress lines are throttled, not redrawn), HOME (where ~/.kube/config is, named with
 * KUBECONFIG), and the AWS SDK's own (AWS_REGION and the credential chain, which every AWS client reads).
 */
const PROCESS_WIDE = (name: string) => name === 'CI' || name === 'HOME' || name.startsWith('AWS_');

/** The source files a module reaches through its relative imports, dynamic ones included (not `import type`). */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/^(?!import type)(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/gm)) {
    reachable(resolve(dirname(entry), (m[1] ?? m[2])!.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

/** The variables a text reads by a name written in it: `env.NAME`, `env?.NAME`, `env['NAME']`. */
function variablesIn(text: string): string[] {
  return [...text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b(?!\s*\?\?=)|\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g)].map((m) => (m[1] ?? m[2])!);
}

/**
 * What @harbor-platform/config reads, by the functions of it that read it (findRepoRoot, and
 * environmentFile and listEnvironments through it); a test below holds this to config's source.
 */
const CONFIG_READS: Readonly<Record<string, readonly string[]>> = { HARBOR_PLATFORM_ROOT: ['findRepoRoot', 'environmentFile', 'listEnvironments'] };

/** The variables an ops source file reads: its own, and config's through the functions it calls. */
function variablesRead(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const fromConfig = /from '@harbor-platform\/config'/.test(text)
    ? Object.entries(CONFIG_READS).filter(([, fns]) => fns.some((f) => new RegExp(`\\b${f}\\(`).test(text))).map(([v]) => v)
    : [];
  return [...variablesIn(text), ...fromConfig];
}

/** Every variable name `environment:` of a help lists, `A_{X,Y}` expanded to `A_X`, `A_Y`. */
function declaredVariables(command: Command): Set<string> {
  const names = command.environment.flatMap((e) =>
    [...e.name.matchAll(/([A-Z][A-Z0-9_]*)(?:\{([A-Z0-9_,]+)\})?/g)].flatMap((m) => (m[2] ? m[2].split(',').map((s) => m[1] + s) : [m[1]!])),
  );
  return new Set(names);
}

const index = readFileSync(join(SRC, 'commands', 'index.ts'), 'utf8');
const loaded = await Promise.all(
  COMMANDS.map(async (c) => {
    const module = new RegExp(`name: '${c.name}',[^\\n]*import\\('(\\./[^']+)'\\)`).exec(index)?.[1];
    if (!module) throw new Error(`commands/index.ts: no module for ${c.name}`);
    return [c.name, await c.load(), join(SRC, 'commands', module.replace(/\.js$/, '.ts'))] as const;
  }),
);

describe('every command: each environment variable its code reads is in its help', () => {
  it('finds the variables of a command that reaches them (drift reads GITHUB_SETTINGS_TOKEN through github/settings-check.ts)', () => {
    const drift = loaded.find(([name]) => name === 'drift')!;
    const read = [...reachable(drift[2])].flatMap(variablesRead);
    expect(read).toEqual(expect.arrayContaining(['GITHUB_SETTINGS_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_STEP_SUMMARY', 'HARBOR_PLATFORM_KUBECTL']));
    // The GC check's credentials are named by a prefix (basicCredentialsEnv), which the search above cannot see.
    expect([...declaredVariables(drift[1])]).toEqual(expect.arrayContaining(['HARBOR_PLATFORM_HARBOR_USERNAME', 'HARBOR_PLATFORM_HARBOR_PASSWORD', 'KUBECONFIG']));
  });

  it('knows every variable @harbor-platform/config reads', () => {
    const dir = join(SRC, '..', '..', 'config', 'src');
    // testing/ is the tests' helper (@harbor-platform/config/testing), not what a command runs.
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('testing/'));
    const read = new Set(files.flatMap((f) => variablesIn(readFileSync(join(dir, f), 'utf8'))));
    expect([...read].sort()).toEqual(Object.keys(CONFIG_READS).sort());
  });

  it.each(loaded)('%s', (_name, command, file) => {
    const read = new Set([...reachable(file)].flatMap(variablesRead).filter((v) => !PROCESS_WIDE(v)));
    const declared = declaredVariables(command);
    expect([...read].filter((v) => !declared.has(v)), 'read but not under environment:').toEqual([]);
    // GH_TOKEN is gh's name for the same token: wherever GITHUB_TOKEN is taken, help says so.
    const github = command.environment.find((e) => /\bGITHUB_TOKEN\b/.test(e.name));
    if (read.has('GH_TOKEN') || github) expect(github?.name).toMatch(/^GITHUB_TOKEN \(or GH_TOKEN\)/);
  });
});
