/**
 * bench:synth: a full offline synthesis of the platform's CDK app (dev and prod, cdk-nag
 * on, assets staged) timed side by side with a synthesis of one comparable cluster built
 * with @aws-quickstart/eks-blueprints (EBS CSI driver, Velero, AWS Load Balancer
 * Controller, External Secrets). Both run as fresh `node` processes into empty output
 * folders, with no AWS settings in the environment, alternating which goes first in
 * each round; the report gives medians and their ratio, and writes .bench/synth.json.
 *
 * The platform runs as `npm run synth` runs it: its esbuild bundle (bundle/cdk-app.cjs)
 * through scripts/run-cached.cjs, which keeps V8's code cache beside the bundle (the
 * warm-up run writes it). The cold figures time what a new clone goes through:
 * `npm ci --offline` (which bundles, through `prepare`) and then the first `npm run synth`,
 * in a clone of the committed tree with no turbo cache (BENCH_COLD_ROUNDS, default 1; 0 skips).
 *
 *   npm run bench:synth -w @harbor-platform/platform     (BENCH_ROUNDS=7 by default)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const APP_DIR = join(import.meta.dirname, '..');
const REPO_ROOT = join(APP_DIR, '..', '..');
const PEER_DIR = join(import.meta.dirname, 'peer');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 1);
const BUNDLE = join(APP_DIR, 'bundle', 'cdk-app.cjs');
const RUN_TIMEOUT_MS = 300_000;

interface Subject {
  readonly name: string;
  /** Arguments of `node`. */
  readonly args: string[];
  readonly cwd: string;
  /** Clusters it synthesizes. */
  readonly clusters: number;
}

const SUBJECTS: Subject[] = [
  { name: 'harbor-platform dev + prod', args: [join(REPO_ROOT, 'scripts', 'run-cached.cjs'), BUNDLE], cwd: APP_DIR, clusters: 2 },
  { name: 'eks-blueprints, one cluster', args: [join(PEER_DIR, 'app.mjs')], cwd: PEER_DIR, clusters: 1 },
];

/** The peer pins aws-cdk-lib 2.261.0 (the workspace pins 2.276.0), so it installs from its own lockfile. */
function ensurePeer(): void {
  if (existsSync(join(PEER_DIR, 'node_modules', '@aws-quickstart', 'eks-blueprints'))) return;
  console.log('bench:synth: installing the peer from bench/peer/package-lock.json');
  const args = ['ci', '--no-audit', '--no-fund', '--ignore-scripts'];
  const r = spawnSync('npm', args, { cwd: PEER_DIR, stdio: 'inherit', timeout: RUN_TIMEOUT_MS });
  if (r.status !== 0) throw new Error('bench:synth: npm ci in bench/peer failed');
}

function offlineEnv(outdir: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
  return { ...env, CDK_OUTDIR: outdir };
}

/**
 * CPU milliseconds (user + system) of every child this process has waited for, from
 * /proc/self/stat (cutime, cstime; Linux only, else undefined). On a shared machine the
 * CPU a run used moves far less than its wall-clock time, which waits for other work.
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ, 100 on every Linux architecture Node supports. */
const CLOCK_TICKS = 100;

interface Timing {
  readonly ms: number;
  readonly cpuMs?: number;
}

/** One synthesis into an empty folder; wall-clock and CPU milliseconds. */
function run(subject: Subject, outdir: string): Timing {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const r = spawnSync(process.execPath, subject.args, {
    cwd: subject.cwd,
    env: offlineEnv(outdir),
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
  });
  const ms = performance.now() - start;
  const cpuAfter = childrenCpuMs();
  if (r.status !== 0 || !existsSync(join(outdir, 'manifest.json'))) {
    throw new Error(`bench:synth: ${subject.name} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  }
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/** Resources in every template of an assembly (nested stacks included), to show the two are of a size. */
function resourceCount(outdir: string): number {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .reduce((n, f) => n + Object.keys(JSON.parse(readFileSync(join(outdir, f), 'utf8')).Resources ?? {}).length, 0);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function main(): void {
  ensurePeer();
  if (!existsSync(BUNDLE)) throw new Error('bench:synth: bundle/cdk-app.cjs is missing: run "npm run bundle" in the repository root');
  const work = join(tmpdir(), `bench-synth-${process.pid}`);
  const outdirs = SUBJECTS.map((_, i) => join(work, `out-${i}`));
  const times: number[][] = SUBJECTS.map(() => []);
  const cpu: number[][] = SUBJECTS.map(() => []);
  try {
    // Warm-up (file cache, JIT caches): not counted.
    SUBJECTS.forEach((s, i) => run(s, outdirs[i]!));
    const resources = outdirs.map(resourceCount);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const t = run(SUBJECTS[i]!, outdirs[i]!);
        times[i]!.push(t.ms);
        if (t.cpuMs !== undefined) cpu[i]!.push(t.cpuMs);
      }
      const line = (i: number) => `${SUBJECTS[i]!.name} ${Math.round(times[i]!.at(-1)!)} ms (CPU ${cpu[i]!.length ? Math.round(cpu[i]!.at(-1)!) : '?'} ms)`;
      process.stdout.write(`round ${round + 1}/${ROUNDS}: ${order.map(line).join(', ')}\n`);
    }
    const cold = Array.from({ length: COLD_ROUNDS }, (_, i) => coldRun(join(work, `clone-${i}`)));
    report(times, cpu, resources, cold);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface ColdRun {
  readonly installMs: number;
  readonly synthMs: number;
  /** CPU time of the first synth (all its processes), when known. */
  readonly synthCpuMs?: number;
}

/** A clone of the committed tree: `npm ci --offline` (from npm's cache), then the first `npm run synth`. */
function coldRun(dir: string): ColdRun {
  let cpuMs: number | undefined;
  const step = (cmd: string, args: string[], cwd: string) => {
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const { CDK_OUTDIR: _, ...env } = offlineEnv('');
    const r = spawnSync(cmd, args, { cwd, env: { ...env, CI: 'true' }, encoding: 'utf8', timeout: 900_000 });
    if (r.status !== 0) throw new Error(`bench:synth: cold: ${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
    const ms = performance.now() - start;
    const cpuAfter = childrenCpuMs();
    cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    return ms;
  };
  step('git', ['clone', '--quiet', REPO_ROOT, dir], REPO_ROOT);
  const installMs = step('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir);
  const synthMs = step('npm', ['run', 'synth'], dir);
  const synthCpuMs = cpuMs;
  if (!existsSync(join(dir, 'apps', 'platform', 'cdk.out', 'manifest.json'))) throw new Error('bench:synth: cold: no cloud assembly written');
  rmSync(dir, { recursive: true, force: true });
  const cpuNote = synthCpuMs === undefined ? '' : ` (CPU ${Math.round(synthCpuMs)} ms)`;
  process.stdout.write(`cold: npm ci ${Math.round(installMs)} ms, first npm run synth ${Math.round(synthMs)} ms${cpuNote}\n`);
  return { installMs, synthMs, synthCpuMs };
}

function report(times: number[][], cpu: number[][], resources: number[], cold: ColdRun[]): void {
  const medians = times.map(median);
  const ratio = medians[0]! / medians[1]!;
  const roundRatios = times[0]!.map((t, i) => t / times[1]![i]!);
  const perCluster = (medians[0]! / SUBJECTS[0]!.clusters) / (medians[1]! / SUBJECTS[1]!.clusters);
  console.log('\nsubject                          median ms   min ms   max ms   resources');
  const cell = (n: number, width: number) => String(Math.round(n)).padStart(width);
  SUBJECTS.forEach((s, i) => {
    const t = times[i]!;
    console.log(`${s.name.padEnd(32)} ${cell(medians[i]!, 9)} ${cell(Math.min(...t), 8)} ${cell(Math.max(...t), 8)} ${cell(resources[i]!, 11)}`);
  });
  console.log(`\nratio of medians (dev + prod / one peer cluster): ${ratio.toFixed(2)} (median of per-round ratios ${median(roundRatios).toFixed(2)})`);
  console.log(`per cluster (platform median / 2 against peer median / 1): ${perCluster.toFixed(2)}`);
  console.log(`goal ratio <= 1.0: ${ratio <= 1 ? 'met' : 'not met'}`);
  const cpuMedians = cpu.every((c) => c.length === ROUNDS) ? cpu.map(median) : undefined;
  if (cpuMedians) {
    console.log(`CPU time (user + system), medians: ${SUBJECTS.map((s, i) => `${s.name} ${Math.round(cpuMedians[i]!)} ms`).join(', ')}; ratio ${(cpuMedians[0]! / cpuMedians[1]!).toFixed(2)}`);
  }
  // How noisy the machine was: the spread of each subject's wall-clock times.
  console.log(`noise (max/min wall clock): ${SUBJECTS.map((s, i) => `${s.name} ${(Math.max(...times[i]!) / Math.min(...times[i]!)).toFixed(2)}`).join(', ')}`);
  const coldSynth = cold.length ? median(cold.map((c) => c.synthMs)) : undefined;
  const coldInstall = cold.length ? median(cold.map((c) => c.installMs)) : undefined;
  if (coldSynth !== undefined && coldInstall !== undefined) {
    console.log(`cold, fresh clone (median of ${cold.length}): npm ci --offline ${Math.round(coldInstall)} ms, first npm run synth ${Math.round(coldSynth)} ms, together ${Math.round(coldInstall + coldSynth)} ms`);
    console.log(`goal first synth after install < 20 s: ${coldSynth < 20_000 ? 'met' : 'not met'}`);
  }

  const dir = join(REPO_ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const result = {
    benchmark: 'synth',
    rounds: ROUNDS,
    node: process.version,
    subjects: SUBJECTS.map((s, i) => ({
      name: s.name,
      clusters: s.clusters,
      resources: resources[i],
      ms: times[i]!.map(Math.round),
      medianMs: Math.round(medians[i]!),
      cpuMs: cpu[i]!.map(Math.round),
      medianCpuMs: cpuMedians ? Math.round(cpuMedians[i]!) : undefined,
    })),
    ratio: Number(ratio.toFixed(3)),
    medianRoundRatio: Number(median(roundRatios).toFixed(3)),
    perClusterRatio: Number(perCluster.toFixed(3)),
    cpuRatio: cpuMedians ? Number((cpuMedians[0]! / cpuMedians[1]!).toFixed(3)) : undefined,
    cold: cold.map((c) => ({
      installMs: Math.round(c.installMs),
      synthMs: Math.round(c.synthMs),
      synthCpuMs: c.synthCpuMs && Math.round(c.synthCpuMs),
    })),
    coldMedianSynthMs: coldSynth === undefined ? undefined : Math.round(coldSynth),
    coldMedianInstallMs: coldInstall === undefined ? undefined : Math.round(coldInstall),
  };
  writeFileSync(join(dir, 'synth.json'), JSON.stringify(result, null, 2) + '\n');
}

main();
