import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..', '..');
const BIN = join(REPO, 'packages', 'ops', 'bin', 'harbor-platform.js');

/** Runs the CLI as a process from the repository root; never throws on a non-zero exit. */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, HARBOR_PLATFORM_ROOT: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function tempYaml(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hp-cli-'));
  const file = join(dir, 'dev.yaml');
  writeFileSync(file, text);
  return file;
}

describe('harbor-platform (as a process)', () => {
  it('lists the commands and exits 2 without one', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: harbor-platform <command> \[options\]/);
    expect(r.stderr).toMatch(/^\s+validate\s+Check an environment file/m);
    expect(r.stderr).toMatch(/^\s+plan\s+Print the derived plan/m);
  });

  it('exits 2 for an unknown command', async () => {
    const r = await cli('deploy-everything');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('harbor-platform: unknown command "deploy-everything"');
  });

  it('validates a committed environment with exit 0 and its warnings on stderr', async () => {
    const r = await cli('validate', 'environments/dev.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('environments/dev.yaml: valid (dev, dev)');
    // dev's accepted zonal state warns; the MinIO it builds has the October 2025 fix, so no image warning.
    expect(r.stderr).toMatch(/^warning: harbor\.database: /m);
    expect(r.stderr).not.toMatch(/minio\.image/);
  });

  it('prints one line per problem and exits 1 for an invalid file', async () => {
    const file = tempYaml('name: dev\nstage: staging\n');
    const r = await cli('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const [count, ...rest] = r.stderr.trim().split('\n').reverse();
    const lines = rest.reverse();
    expect(lines).toContain('stage: "staging" is not allowed: use one of "dev", "prod"');
    expect(lines).toContain('aws: is required: add it (object)');
    for (const line of lines) expect(line).toMatch(/^[^:]+: .+: .+$/);
    expect(count).toBe(`${file}: ${lines.length} problem(s)`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives the line and column of malformed YAML', async () => {
    const r = await cli('validate', tempYaml('name: dev\n  stage: [\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^line \d+, column \d+: malformed YAML/m);
  });

  it.each([
    [['validate'], 'expected 1 argument(s)'],
    [['validate', 'a.yaml', 'b.yaml'], 'unexpected argument "b.yaml"'],
    [['validate', '--frobnicate', 'a.yaml'], '--frobnicate: unknown option: --help lists the options'],
    [['plan'], '--env <name> or --config <file> is required'],
    [['plan', '--env', 'dev', '--config', 'x.yaml'], 'give --env or --config, not both'],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: harbor-platform ');
  });

  it('prints the plan of an environment as JSON with the documented fields', async () => {
    const r = await cli('plan', '--env', 'prod', '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(Object.keys(plan)).toEqual(['formatVersion', 'environment', 'names', 'stage', 'aws', 'network', 'nodeGroups', 'minio', 'registryStorage', 'harbor', 'stateTiers', 'availability', 'backups', 'drill', 'images', 'github', 'warnings']);
    expect(plan.minio.pools[0]).toMatchObject({ setDriveCount: 12, parity: 4, readQuorum: 8, writeQuorum: 8, usableCapacityGiB: 4000 });
    expect(plan.registryStorage.regionendpoint).toBe('http://minio.minio.svc.cluster.local:9000');
  });

  it('refuses, with --previous, a drive size the deployed StatefulSets cannot take, and passes the same plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-cli-'));
    const previous = join(dir, 'plan.json');
    writeFileSync(previous, (await cli('plan', '--env', 'prod', '--json')).stdout);
    expect((await cli('plan', '--env', 'prod', '--previous', previous)).code).toBe(0);
    const grown = join(dir, 'prod.yaml');
    writeFileSync(grown, readFileSync(join(REPO, 'environments', 'prod.yaml'), 'utf8').replace('driveSize: 500Gi', 'driveSize: 1Ti'));
    const r = await cli('plan', '--config', grown, '--previous', previous);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toBe(
      'minio.pools[0].driveSize: changes from 500Gi to 1Ti, a volume claim template field Kubernetes does not update on a StatefulSet (minio-p0-z0): keep 500Gi until the claims are grown in place and the StatefulSets deleted without their pods, then raise minio.statefulSetRevision, following the runbook in README.md, "Changing MinIO drives and pools"',
    );
  });

  it('refuses a --previous file that is not a plan.json instead of comparing against nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-cli-'));
    for (const [name, body] of [['empty.json', '{}'], ['broken.json', '{"minio":'], ['missing.json', undefined]] as const) {
      if (body !== undefined) writeFileSync(join(dir, name), body);
      const r = await cli('plan', '--env', 'prod', '--previous', join(dir, name));
      expect(r.code, name).toBe(1);
      expect(r.stdout, name).toBe('');
      expect(r.stderr.trim().split('\n'), name).toEqual([expect.stringMatching(new RegExp(`^harbor-platform plan: --previous \\S*${name}: .*: pass the plan.json of prod's last deploy$`))]);
    }
  });

  it("refuses at once a --previous of another environment or of a newer plan format, and takes the deployed stack's subset", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-cli-'));
    const prodPlan = (await cli('plan', '--env', 'prod', '--json')).stdout;
    const prod = join(dir, 'prod-plan.json');
    writeFileSync(prod, prodPlan);
    const other = await cli('plan', '--config', 'environments/dev.yaml', '--previous', prod);
    expect(other.code).toBe(1);
    expect(other.stdout).toBe('');
    expect(other.stderr.trim().split('\n')).toEqual([`harbor-platform plan: --previous ${prod}: environment: "prod" is not "dev": pass the plan.json of dev's last deploy`]);

    const devPlan = JSON.parse((await cli('plan', '--env', 'dev', '--json')).stdout);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ ...devPlan, formatVersion: devPlan.formatVersion + 1 }));
    const newer = await cli('plan', '--env', 'dev', '--previous', future);
    expect(newer.code).toBe(1);
    expect(newer.stderr.trim().split('\n')).toEqual([
      `harbor-platform plan: --previous ${future}: formatVersion: ${devPlan.formatVersion + 1} is newer than ${devPlan.formatVersion}, the newest plan format this CLI reads: compare with the harbor-platform that wrote it, or update this one`,
    ]);

    // The DeployedMinioStatefulSets output: no environment, no formatVersion; prod's sets against dev still refused by their fields.
    const { storageClass, statefulSetRevision, statefulSets } = devPlan.minio;
    const deployed = join(dir, 'deployed-minio.json');
    writeFileSync(deployed, JSON.stringify({ minio: { storageClass, statefulSetRevision, statefulSets } }));
    expect((await cli('plan', '--env', 'dev', '--previous', deployed)).code).toBe(0);
    const prodSubset = join(dir, 'prod-subset.json');
    writeFileSync(prodSubset, JSON.stringify({ minio: JSON.parse(prodPlan).minio }));
    expect((await cli('plan', '--env', 'dev', '--previous', prodSubset)).stderr).toMatch(/^minio\.pools\[0\]\.driveSize: changes from 500Gi to /m);
  });

  it('prints the plan as Markdown by default', async () => {
    const r = await cli('plan', '--config', 'environments/dev.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Plan: dev \(dev\)$/m);
  });

  it.each(['plan', 'preflight', 'drift', 'drill', 'ldap-check', 'harbor-gc', 'github-setup'])(
    '%s: an unknown --env is a usage error (exit 2) naming the known environments, before any other work',
    async (command) => {
      const r = await cli(command, '--env', 'staging');
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`harbor-platform ${command}: --env: no environment "staging" in ${REPO}/environments: use one of dev, prod or pass --config <file>`);
    },
  );

  it('restore: an unknown --env names the known environments and suggests no --config (restore has none)', async () => {
    const r = await cli('restore', '--env', 'staging', '--backup', 'nightly', '--namespaces', 'harbor', '--confirm', 'staging');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`harbor-platform restore: --env: no environment "staging" in ${REPO}/environments: use one of dev, prod`);
  });

  it.each([
    ['plan', [], ', or pass --config <file> for a file elsewhere'],
    ['restore', ['--backup', 'nightly', '--namespaces', 'harbor', '--confirm', '../../../../tmp/x'], ''],
  ])('%s: an --env that is not an environment name (a path) is a usage error, and no file outside environments/ is read', async (command, more, orConfig) => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-cli-'));
    writeFileSync(join(dir, 'x.yaml'), readFileSync(join(REPO, 'environments', 'dev.yaml'), 'utf8'));
    const env = join('..', '..', '..', '..', '..', '..', dir, 'x');
    const r = await cli(command, '--env', env, ...(more as string[]).map((a) => (a === '../../../../tmp/x' ? env : a)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`harbor-platform ${command}: --env: "${env}" is not an environment name (the file name in environments/, without .yaml): give a name such as dev${orConfig}`);
  });

  it('refuses an option given twice instead of keeping the last (exit 2)', async () => {
    const r = await cli('plan', '--env', 'dev', '--env', 'prod');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('harbor-platform plan: --env: given more than once: give it once');
  });

  it('prints a usage error as the fault, the synopsis and where the options are: not the whole help', async () => {
    const r = await cli('drill', '--env', 'dev', '--bogus');
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'harbor-platform drill: --bogus: unknown option: --help lists the options',
      expect.stringMatching(/^usage: harbor-platform drill \(--env <name> \| --config <file>\) /),
      'Run "harbor-platform drill --help" for its options.',
    ]);
  });

  it('refuses to plan an invalid file and lists its problems', async () => {
    const r = await cli('plan', '--config', tempYaml('name: dev\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not valid \(\d+ problem\(s\)\); run "harbor-platform validate/);
    expect(r.stderr).toContain('stage: is required');
  });

  it.each(['validate', 'plan'])('shows help for %s with exit 0', async (command) => {
    const r = await cli(command, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: harbor-platform ${command} `));
  });
});
