import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { committedEnvironments } from '@harbor-platform/config/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { synthAll } from '../src/synth-all.js';

/** The environment of every planEnvironment call, in order: the spy below wraps the real function. */
const planned = vi.hoisted(() => [] as string[]);

vi.mock('@harbor-platform/config', async (importOriginal) => {
  const config = await importOriginal<typeof import('@harbor-platform/config')>();
  return {
    ...config,
    planEnvironment: vi.fn((...args: Parameters<typeof config.planEnvironment>) => {
      planned.push(args[0].name);
      return config.planEnvironment(...args);
    }),
  };
});

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

describe('npm run synth plans each environment once', () => {
  const root = mkdtempSync(join(tmpdir(), 'platform-plan-once-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('calls planEnvironment once per committed environment, and every output reads that plan', () => {
    cpSync(join(REPO_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
    writeFileSync(join(root, 'turbo.json'), '{}');
    mkdirSync(join(root, 'apps/platform'), { recursive: true });
    const environments = [...committedEnvironments(REPO_ROOT).keys()];
    expect(environments).toEqual(['dev', 'prod']);
    planned.length = 0;

    expect(synthAll(root, undefined, { out: () => {}, progress: () => {} })).toBe(0);

    expect([...planned].sort()).toEqual(environments);
    const dist = join(root, 'apps/platform/dist');
    for (const name of environments) {
      // The plan written is the one the manifests and values were made from (its output folders, its cluster name).
      const plan = JSON.parse(readFileSync(join(dist, name, 'plan.json'), 'utf8'));
      expect(plan.names.outputs).toEqual({ dir: name, plan: `${name}/plan.json`, manifests: `${name}/manifests`, values: `${name}/values` });
      expect(readdirSync(join(dist, plan.names.outputs.manifests)).length).toBe(10);
      expect(readFileSync(join(dist, plan.names.outputs.values, 'external-dns.yaml'), 'utf8')).toContain(`txtOwnerId: ${plan.names.cluster}\n`);
    }
  }, 300_000);
});
