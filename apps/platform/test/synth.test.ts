import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { synthAll } from '../src/synth-all.js';

const APP_DIR = join(import.meta.dirname, '..');
const REPO_ROOT = join(APP_DIR, '..', '..');
const SYNTH = join(APP_DIR, 'lib', 'synth.js');
const TIMEOUT = 120_000;

/** A repository root with only dev's environment file, and outputs from an earlier run. */
function fixtureRoot(mutate: (yaml: string) => string = (y) => y): string {
  const root = mkdtempSync(join(tmpdir(), 'platform-synth-'));
  mkdirSync(join(root, 'environments'));
  writeFileSync(join(root, 'turbo.json'), '{}');
  writeFileSync(join(root, 'environments', 'dev.yaml'), mutate(readFileSync(join(REPO_ROOT, 'environments', 'dev.yaml'), 'utf8')));
  mkdirSync(join(root, 'apps/platform/dist/retired'), { recursive: true });
  writeFileSync(join(root, 'apps/platform/dist/retired/plan.json'), '{}');
  mkdirSync(join(root, 'apps/platform/cdk.out'), { recursive: true });
  writeFileSync(join(root, 'apps/platform/cdk.out/earlier-run'), 'x');
  return root;
}

function synth(root: string) {
  return spawnSync(process.execPath, [SYNTH], { cwd: root, env: { ...process.env, HARBOR_PLATFORM_ROOT: root }, encoding: 'utf8', timeout: TIMEOUT });
}

describe('npm run synth (apps/platform/lib/synth.js)', () => {
  let root = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('replaces the outputs whole: the current environments in, a retired one out', () => {
    root = fixtureRoot();
    const run = synth(root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(join(root, 'apps/platform/dist'))).toEqual(['dev']);
    expect(readdirSync(join(root, 'apps/platform/dist/dev')).sort()).toEqual(['manifests', 'plan.json', 'plan.md', 'values']);
    expect(existsSync(join(root, 'apps/platform/cdk.out/harbor-platform-dev.template.json'))).toBe(true);
    expect(existsSync(join(root, 'apps/platform/cdk.out/earlier-run'))).toBe(false);
    expect(existsSync(join(root, 'apps/platform/dist.staging'))).toBe(false);
  }, TIMEOUT);

  it('changes nothing when a step fails after validation', () => {
    root = fixtureRoot();
    const errors: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const failing = () => {
      throw new Error('PlatformCluster: invalid props: (simulated)');
    };
    try {
      expect(synthAll(root, failing)).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
    expect(error).toHaveBeenCalled();
    expect(errors.join('\n')).toMatch(/^synth: PlatformCluster: invalid props: \(simulated\)\nsynth: nothing was changed in /);
    expect(readdirSync(join(root, 'apps/platform/dist'))).toEqual(['retired']);
    expect(readdirSync(join(root, 'apps/platform/cdk.out'))).toEqual(['earlier-run']);
    expect(existsSync(join(root, 'apps/platform/dist.staging'))).toBe(false);
    expect(existsSync(join(root, 'apps/platform/cdk.out.staging'))).toBe(false);
  }, TIMEOUT);

  it('writes nothing and names the field when an environment is invalid', () => {
    root = fixtureRoot((y) => y.replace('natGateways: single', 'natGateways: some'));
    const run = synth(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^ {2}network\.natGateways: "some" is not allowed: use one of "single", "perAz"$/m);
    expect(readdirSync(join(root, 'apps/platform/dist'))).toEqual(['retired']);
  }, TIMEOUT);
});
