import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { synthAll } from '../src/synth-all.js';

const APP_DIR = join(import.meta.dirname, '..');
const REPO_ROOT = join(APP_DIR, '..', '..');
/** As `npm run synth` runs it: the bundle, from V8's code cache. */
const SYNTH = [join(REPO_ROOT, 'scripts', 'run-cached.cjs'), join(APP_DIR, 'bundle', 'synth.cjs')];
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

function synth(root: string, env: NodeJS.ProcessEnv = { CI: 'true' }) {
  return spawnSync(process.execPath, SYNTH, { cwd: root, env: { ...process.env, HARBOR_PLATFORM_ROOT: root, CI: undefined, ...env }, encoding: 'utf8', timeout: TIMEOUT });
}

describe('npm run synth (apps/platform/bundle/synth.cjs)', () => {
  let root = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('replaces the outputs whole: the current environments in, a retired one out', () => {
    root = fixtureRoot();
    const run = synth(root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(join(root, 'apps/platform/dist')).sort()).toEqual(['dev', 'summary.json', 'summary.txt']);
    expect(readdirSync(join(root, 'apps/platform/dist/dev')).sort()).toEqual(['manifests', 'plan.json', 'plan.md', 'values']);
    expect(existsSync(join(root, 'apps/platform/cdk.out/harbor-platform-dev.template.json'))).toBe(true);
    expect(existsSync(join(root, 'apps/platform/cdk.out/earlier-run'))).toBe(false);
    expect(existsSync(join(root, 'apps/platform/dist.staging'))).toBe(false);
  }, TIMEOUT);

  it('ends with a summary per environment in the words of plan.md, and shows progress outside CI', () => {
    root = fixtureRoot();
    const run = synth(root, {});
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual(['synth: dev: plan, manifests and values', "synth: CDK app of dev (with cdk-nag's AWS Solutions checks)"]);
    const planMd = readFileSync(join(root, 'apps/platform/dist/dev/plan.md'), 'utf8');
    const plan = JSON.parse(readFileSync(join(root, 'apps/platform/dist/dev/plan.json'), 'utf8'));
    const summary = run.stdout;
    expect(summary).toBe(readFileSync(join(root, 'apps/platform/dist/summary.txt'), 'utf8'));
    // The headline facts, each phrased as plan.md phrases it.
    const awsLine = planMd.split('\n').find((l) => l.startsWith('- AWS account'))!.slice(2);
    const harborLine = planMd.split('\n').find((l) => l.startsWith('- Harbor '))!.slice(2);
    const minioTotal = planMd.split('\n').find((l) => l.startsWith('Total: '))!;
    expect(summary).toContain(`dev (${plan.stage}): ${awsLine}\n`);
    expect(summary).toContain(`  ${harborLine}\n`);
    // Each label once: the totals without plan.md's "Total:", then the AZ-loss verdict and the goal.
    expect(summary).toContain(`  MinIO: ${minioTotal.replace(/^Total: /, '').replace(/\.$/, '')}; with one AZ lost: read yes; write yes. Goal when one AZ fails: ${plan.minio.tolerateZoneLoss}.\n`);
    for (const n of plan.nodeGroups) expect(summary).toContain(`${n.name} (zone ${n.availabilityZone}, ${n.instanceTypes.join(', ')}, min ${n.min}, desired ${n.desired}, max ${n.max})`);
    for (const w of plan.warnings) expect(summary).toContain(`  Warning: \`${w.path}\`: ${w.message}\n`);
    expect(summary).toMatch(/^ {2}Outputs: apps\/platform\/dist\/dev\/plan\.md, plan\.json, manifests\/ \(\d+ files\), values\/harbor\.yaml, values\/velero\.yaml, values\/external-dns\.yaml$/m);
    expect(summary).toMatch(/^CDK assembly: apps\/platform\/cdk\.out \(harbor-platform-dev-github, harbor-platform-dev\)$/m);
    const json = JSON.parse(readFileSync(join(root, 'apps/platform/dist/summary.json'), 'utf8'));
    expect(json.environments[0]).toMatchObject({ environment: 'dev', harborUrl: plan.harbor.url, minio: { survivesZoneLossForRead: true, survivesZoneLossForWrite: true } });
    expect(json.environments[0].outputs.manifests.length).toBe(readdirSync(join(root, 'apps/platform/dist/dev/manifests')).length);
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
      expect(synthAll(root, failing, { out: () => {}, progress: () => {} })).toBe(1);
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

  it('refuses a drive size change against the plan synthesized before, naming the field and the runbook, and changes nothing', () => {
    root = fixtureRoot((y) => y.replace('driveSize: 50Gi', 'driveSize: 100Gi'));
    // What an earlier synth of dev wrote (the fields the check reads).
    const previous = { minio: { storageClass: 'gp3-zonal', statefulSets: [0, 1, 2].map((z) => ({ name: `minio-p0-z${z}`, pool: 0, replicas: 1, drivesPerServer: 2, driveSize: '50Gi' })) } };
    mkdirSync(join(root, 'apps/platform/dist/dev'), { recursive: true });
    writeFileSync(join(root, 'apps/platform/dist/dev/plan.json'), JSON.stringify(previous));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const synthesize = vi.fn();
    try {
      expect(synthAll(root, synthesize, { out: () => {}, progress: () => {} })).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
    expect(synthesize).not.toHaveBeenCalled();
    expect(errors.join('\n').split('\n').slice(1)).toEqual([
      '  minio.pools[0].driveSize: changes from 50Gi to 100Gi, a volume claim template field Kubernetes does not update on a StatefulSet (minio-p0-z0): keep 50Gi until the claims are grown in place and the StatefulSets deleted without their pods, then raise minio.statefulSetRevision, following the runbook in README.md, "Changing MinIO drives and pools"',
    ]);
    expect(JSON.parse(readFileSync(join(root, 'apps/platform/dist/dev/plan.json'), 'utf8'))).toEqual(previous);
  });

  it('refuses an environment copied from another, naming both files and the field, and changes nothing', () => {
    root = fixtureRoot();
    writeFileSync(join(root, 'environments', 'qa.yaml'), readFileSync(join(root, 'environments', 'dev.yaml'), 'utf8').replace(/^name: dev$/m, 'name: qa'));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const synthesize = vi.fn();
    try {
      expect(synthAll(root, synthesize, { out: () => {}, progress: () => {} })).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
    expect(synthesize).not.toHaveBeenCalled();
    const text = errors.join('\n');
    expect(text).toMatch(/^environments\/qa\.yaml:\n {2}velero\.backupBucket: "[^"]+" is also the velero\.backupBucket of environments\/dev\.yaml /m);
    expect(text).toMatch(/^environments\/dev\.yaml:\n {2}velero\.backupBucket: "[^"]+" is also the velero\.backupBucket of environments\/qa\.yaml /m);
    expect(readdirSync(join(root, 'apps/platform/dist'))).toEqual(['retired']);
  });

  it('writes nothing and names the field when an environment is invalid', () => {
    root = fixtureRoot((y) => y.replace('natGateways: single', 'natGateways: some'));
    const run = synth(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^ {2}network\.natGateways: "some" is not allowed: use one of "single", "perAz"$/m);
    expect(readdirSync(join(root, 'apps/platform/dist'))).toEqual(['retired']);
  }, TIMEOUT);
});
