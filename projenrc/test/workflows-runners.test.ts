/**
 * The Kubernetes API of every environment is private unless `cluster.endpointPublicAccess`: a
 * job that reaches it must run on the environment's VPC runner (a CodeBuild-hosted runner in
 * the private subnets, packages/infra GithubVpcRunner), never on a GitHub-hosted one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environments, ENVIRONMENTS, forEnvironment, loadWorkflow, planOf, ROOT, workflowFiles } from './support/workflows.js';

const SRC = join(ROOT, 'packages/ops/src');
const plans = new Map([...environments].map(([name, e]) => [name, e.plan]));

/** The relative imports of a source file (static and dynamic), as .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) => resolve(dirname(file), `${m[1]}.ts`)).filter((f) => existsSync(f));
}

/** True when the module, or one it imports, talks to the Kubernetes API (src/kube) or runs kubectl. */
function reachesCluster(entry: string): boolean {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.startsWith(join(SRC, 'kube') + '/') || /\$\{kubectl\}/.test(readFileSync(file, 'utf8'))) return true;
    queue.push(...importsOf(file));
  }
  return false;
}

/** The CLI commands whose module reaches the cluster, read from the command table's imports. */
const CLUSTER_COMMANDS = [...readFileSync(join(SRC, 'commands/index.ts'), 'utf8').matchAll(/name: '([a-z-]+)'.*?import\('(\.\/[^']+)\.js'\)/g)]
  .filter((m) => reachesCluster(join(SRC, 'commands', `${m[2]}.ts`)))
  .map((m) => m[1]!);

/** What in a step's script reaches the Kubernetes API. */
function clusterUse(run: string): string | undefined {
  const direct = /\b(kubectl|port-forward|update-kubeconfig)\b/.exec(run)?.[1];
  if (direct) return direct;
  return CLUSTER_COMMANDS.find((c) => new RegExp(`harbor-platform ${c}( |$)`, 'm').test(run));
}

interface Job {
  readonly where: string;
  readonly runsOn: string;
  readonly envExpr?: string;
  readonly uses: string[];
}

function jobs(): Job[] {
  const found: Job[] = [];
  for (const file of workflowFiles()) {
    const wf = loadWorkflow(file);
    for (const [id, job] of Object.entries<any>(wf.jobs)) {
      const steps: any[] = job.steps ?? [];
      const uses = steps.map((s) => clusterUse(s.run ?? '')).filter((u): u is string => !!u);
      found.push({ where: `${file} ${id}`, runsOn: [job['runs-on']].flat().join(','), envExpr: steps.find((s) => s.id === 'target')?.env?.HP_ENV, uses });
    }
  }
  return found;
}

const all = jobs();
const clusterJobs = all.filter((j) => j.uses.length > 0);
const environmentsOf = (j: Job) => (/\$\{\{/.test(j.envExpr ?? '') ? ENVIRONMENTS : [j.envExpr!]);

const tmp = mkdtempSync(join(tmpdir(), 'workflow-runners-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The job's runs-on label as GitHub evaluates it for one environment: `fromJSON(<literal>)[<env>]` looked up, run id and attempt left as written. */
const labelFor = (runsOn: string, env: string): string => forEnvironment(runsOn, env);

describe('jobs that reach the Kubernetes API', () => {
  it('the commands the cluster-facing check covers are read from the CLI sources: drift, drill, restore and harbor-settings-reload reach the cluster; smoke does not', () => {
    expect(CLUSTER_COMMANDS).toEqual(expect.arrayContaining(['drift', 'drill', 'restore', 'harbor-settings-reload']));
    expect(CLUSTER_COMMANDS).not.toContain('smoke');
    expect(CLUSTER_COMMANDS).not.toContain('plan');
  });

  it('are smoke (with the GC schedule), drift, the drill and restore', () => {
    expect(clusterJobs.map((j) => j.where).sort()).toEqual(['deploy.yml smoke-dev', 'deploy.yml smoke-prod', 'drift.yml drift', 'restore-drill.yml drill', 'restore.yml restore']);
  });

  it.each(all.map((j) => [j.where, j] as const))('%s: runs on a GitHub-hosted runner only when it never reaches the cluster', (_where, job) => {
    const hosted = /^(ubuntu|windows|macos)-/.test(job.runsOn);
    if (hosted) expect(job.uses, `${job.where} runs ${job.uses.join(', ')} on ${job.runsOn}`).toEqual([]);
    else expect(job.runsOn).toMatch(/^codebuild-/);
  });

  it.each(clusterJobs.flatMap((j) => environmentsOf(j).map((env) => [`${j.where} (${env})`, j, env] as const)))(
    "%s: runs on the VPC runner of the environment it targets, by the label of the environment's plan",
    (_where, job, env) => {
      expect(labelFor(job.runsOn, env)).toBe(planOf(env).github.runner.label);
    },
  );

  it("the label names each environment's own CodeBuild project, one per environment", () => {
    const projects = [...plans.values()].map((p) => p.github.runner.projectName);
    expect(new Set(projects).size).toBe(plans.size);
    for (const plan of plans.values()) expect(plan.github.runner.label).toBe(`codebuild-${plan.github.runner.projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
    for (const [env, plan] of plans) expect(plan.github.runner.projectName).toContain(env);
  });

  it('a deploy runs on a GitHub-hosted runner (its first run creates the VPC runner) and its smoke test waits for it', () => {
    const wf = loadWorkflow('deploy.yml');
    for (const env of ['dev', 'prod']) {
      expect(wf.jobs[`deploy-${env}`]['runs-on']).toBe('ubuntu-latest');
      expect([wf.jobs[`smoke-${env}`].needs].flat()).toEqual([`deploy-${env}`]);
    }
    // A failed dev smoke test stops prod.
    expect([wf.jobs['deploy-prod'].needs].flat()).toContain('smoke-dev');
  });

  it('each cluster job puts a kubectl on PATH before it connects, and that step gives a kubectl that runs', () => {
    for (const job of clusterJobs) {
      const wf = loadWorkflow(job.where.split(' ')[0]!);
      const steps: any[] = wf.jobs[job.where.split(' ')[1]!].steps;
      const install = steps.findIndex((s) => s.name === "Put the cluster's kubectl on PATH");
      const connect = steps.findIndex((s) => /update-kubeconfig/.test(s.run ?? ''));
      expect(install, job.where).toBeGreaterThanOrEqual(0);
      expect(install, job.where).toBeLessThan(connect);
    }
    // The step itself, run from the repository root as the runner runs it (node_modules installed by npm ci).
    const deploy = loadWorkflow('deploy.yml');
    const step = deploy.jobs['smoke-dev'].steps.find((s: any) => s.name === "Put the cluster's kubectl on PATH");
    const githubPath = join(tmp, 'github-path');
    writeFileSync(githubPath, '');
    const out = execFileSync('bash', ['-e', '-c', step.run], { cwd: ROOT, env: { PATH: process.env.PATH, RUNNER_TEMP: tmp, GITHUB_PATH: githubPath }, encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/Client Version: v1\.\d+\.\d+/);
    expect(readFileSync(githubPath, 'utf8').trim()).toBe(join(tmp, 'bin'));
    const version = execFileSync(join(tmp, 'bin', 'kubectl'), ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    expect(JSON.parse(version).clientVersion.major).toBe('1');
  });
});
