import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KNOWN_DEFAULT_SECRETS } from '@harbor-platform/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP_DIR = join(import.meta.dirname, '..');
const REPO_ROOT = join(APP_DIR, '..', '..');
/** A full synthesis of both environments, assets included, on a loaded 2-core machine. */
const SYNTH_TIMEOUT = 240_000;

/** The process environment without any AWS setting: synthesis must not need one. */
function withoutAws(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
  return { ...env, ...extra };
}

/** cdk.json's app command (`node <args>`), with its paths made absolute (tests run it from other folders). */
const CDK_APP: string[] = (JSON.parse(readFileSync(join(APP_DIR, 'cdk.json'), 'utf8')).app as string)
  .split(' ')
  .slice(1)
  .map((arg) => (arg.startsWith('-') ? arg : join(APP_DIR, arg)));

/** Runs cdk.json's app entry as the CDK CLI would, into `outdir`. */
function runCdkApp(outdir: string, cwd = APP_DIR, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, CDK_APP, {
    cwd,
    env: withoutAws({ CDK_OUTDIR: outdir, ...extraEnv }),
    encoding: 'utf8',
    timeout: SYNTH_TIMEOUT,
  });
}

/** Every text file under a folder (asset archives are binary and hold only handler code). */
function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textFiles(path);
    return name.endsWith('.zip') ? [] : [path];
  });
}

function template(outdir: string, stack: string): { Resources: Record<string, { Type: string; Properties?: any }> } {
  return JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8'));
}

const STACKS = ['harbor-platform-dev', 'harbor-platform-dev-github', 'harbor-platform-prod', 'harbor-platform-prod-github'];

describe('the CDK app (cdk.json entry), synthesized offline', () => {
  let outdir: string;
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'platform-cdk-out-'));
    run = runCdkApp(outdir);
  }, SYNTH_TIMEOUT);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes with no AWS credentials or settings in the environment', () => {
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
  });

  it('writes a platform stack and a GitHub deploy-role stack per environment, in its account and region', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.entries(manifest.artifacts as Record<string, any>).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map(([name]) => name).sort()).toEqual(STACKS);
    expect(manifest.artifacts['harbor-platform-prod'].environment).toBe('aws://222222222222/ap-northeast-2');
    expect(manifest.artifacts['harbor-platform-dev-github'].environment).toBe('aws://111111111111/ap-northeast-2');
  });

  it('deploys each platform stack after its GitHub stack (its access entries name the GitHub roles), without a reference', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    for (const env of ['dev', 'prod']) {
      expect(manifest.artifacts[`harbor-platform-${env}`].dependencies).toContain(`harbor-platform-${env}-github`);
      const body = readFileSync(join(outdir, `harbor-platform-${env}.template.json`), 'utf8');
      expect(body).not.toMatch(/Fn::ImportValue/);
    }
  });

  it('asks for no context lookup (accounts, regions and zones come from the config)', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.missing ?? []).toEqual([]);
  });

  it('runs cdk-nag in the app and leaves nothing non-compliant', () => {
    const reports = readdirSync(outdir).filter((f) => f.endsWith('NagReport.csv'));
    expect(reports.sort()).toEqual(STACKS.map((s) => `AwsSolutions--${s}-NagReport.csv`).sort());
    for (const report of reports) {
      const rows = readFileSync(join(outdir, report), 'utf8').split('\n').slice(1).filter(Boolean);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.includes('"Non-Compliant"')), report).toEqual([]);
    }
  });

  it('holds no default or literal credential anywhere in cdk.out', () => {
    const files = textFiles(outdir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const secret of KNOWN_DEFAULT_SECRETS) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });

  it('lets Secrets Manager generate every secret value: no SecretString in any template', () => {
    for (const stack of STACKS) {
      const secrets = Object.values(template(outdir, stack).Resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret');
      for (const s of secrets) {
        expect(s.Properties.SecretString).toBeUndefined();
        expect(s.Properties.GenerateSecretString).toBeDefined();
      }
    }
  });

  it('passes database and Redis credentials only as Secrets Manager dynamic references', () => {
    const resources = Object.values(template(outdir, 'harbor-platform-prod').Resources);
    const credentials = resources.flatMap((r) =>
      Object.entries(r.Properties ?? {})
        .filter(([key]) => /password|authtoken/i.test(key))
        .map(([key, value]) => `${r.Type}.${key}=${JSON.stringify(value)}`),
    );
    expect(credentials).toHaveLength(2);
    for (const c of credentials) expect(c).toMatch(/\{\{resolve:secretsmanager:/);
  });
});

describe('the CDK app with a broken environment', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'platform-bad-env-'));
    mkdirSync(join(root, 'environments'));
    writeFileSync(join(root, 'turbo.json'), '{}');
    cpSync(join(REPO_ROOT, 'environments', 'dev.yaml'), join(root, 'environments', 'dev.yaml'));
    const text = readFileSync(join(root, 'environments', 'dev.yaml'), 'utf8').replace('natGateways: single', 'natGateways: some');
    writeFileSync(join(root, 'environments', 'dev.yaml'), text);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops before synthesis with the file, the field and the fix, and no stack trace', () => {
    const run = runCdkApp(join(root, 'cdk.out'), root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^environments\/dev\.yaml: network\.natGateways: .+: .+/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, SYNTH_TIMEOUT);
});
