import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { TestingError } from '../errors.js';
import { findRepoRoot } from '../load.js';

/**
 * Helm 3 run on the upstream charts in `../shared/upstream/charts`, offline: `helm template`
 * renders a chart with generated values the way `helm install` would (hooks included),
 * `helm lint --strict` checks chart and values together. The binary is the one
 * `scripts/local-stack/install-go-tools` builds (pinned in `go-tools.tsv`).
 * @see https://helm.sh/docs/helm/helm_template/
 */

/** One rendering of a chart. */
export interface RenderChartOptions {
  /** Folder of the unpacked chart (see `upstreamChart`). */
  readonly chart: string;
  /** Values, as the builders of `@harbor-platform/config` return them. */
  readonly values: Record<string, unknown>;
  /** Release name; charts derive object names from it. */
  readonly release: string;
  /** Release namespace (`.Release.Namespace`). */
  readonly namespace: string;
  /** Kubernetes version of the cluster (`.Capabilities.KubeVersion`), e.g. `1.33` or `1.33.0`. */
  readonly kubeVersion: string;
  /** Render only these templates, paths relative to the chart (`templates/registry/registry-cm.yaml`). @default - all */
  readonly showOnly?: readonly string[];
  /** Also render the chart's `crds/` folder, as `helm install` applies it. @default false */
  readonly includeCrds?: boolean;
}

/** A rendered Kubernetes object (kept loose: validators check the shape). */
export type RenderedObject = Record<string, any>;

let installed: Map<string, string> | undefined;

/**
 * What `install-go-tools --print-paths` prints, as name → path (it builds or unpacks what is
 * missing first, which takes minutes once). Throws when it cannot be had.
 */
function installedTools(): Map<string, string> {
  if (installed) return installed;
  const root = findRepoRoot(import.meta.dirname);
  if (!root) throw new TestingError('install-go-tools: the repository root (environments/ beside turbo.json) was not found above this package');
  const out = spawnSync('bash', [join(root, 'scripts/local-stack/install-go-tools'), '--print-paths'], { encoding: 'utf8' });
  if (out.status !== 0) {
    throw new TestingError(`scripts/local-stack/install-go-tools --print-paths failed: ${(out.stderr || out.stdout || String(out.error)).trim()}`);
  }
  installed = new Map(out.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]));
  return installed;
}

function installedPath(name: string): string {
  const path = installedTools().get(name);
  if (!path) throw new TestingError(`scripts/local-stack/install-go-tools --print-paths printed no ${name}= line`);
  return path;
}

/** Path of the helm binary: what `install-go-tools --print-paths` prints. */
export function helmBinary(): string {
  return installedPath('helm');
}

/**
 * Folder of an upstream chart that `install-go-tools` unpacks from a Go module
 * (`scripts/local-stack/go-charts.tsv`), such as `external-dns`; never committed.
 */
export function goModuleChart(chart: string): string {
  return installedPath(`chart-${chart}`);
}

/** Runs helm with a values file (written 0600 to a fresh temporary folder, removed after). */
function withValues<T>(values: Record<string, unknown>, run: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, stringify(values), { mode: 0o600 });
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fullKubeVersion(v: string): string {
  return /^v?\d+\.\d+$/.test(v) ? `${v}.0` : v;
}

/** Helm's own message, without its usage text: the first lines of stderr. */
function helmError(what: string, e: unknown): Error {
  const err = e as { stderr?: Buffer | string; stdout?: Buffer | string; message: string };
  const text = String(err.stderr ?? '').trim() || String(err.stdout ?? '').trim() || err.message;
  return new TestingError(`${what}: ${text.split('\n').slice(0, 20).join('\n')}`);
}

function commonArgs(o: RenderChartOptions, file: string): string[] {
  return ['--namespace', o.namespace, '--kube-version', fullKubeVersion(o.kubeVersion), '--values', file];
}

/**
 * `helm template` of one chart: the parsed objects, in Helm's order, empty documents
 * dropped. Throws with Helm's message when the chart refuses the values (a `required`
 * or `fail` in a template, values.schema.json, or YAML that does not parse).
 */
export function renderChart(o: RenderChartOptions): RenderedObject[] {
  const text = withValues(o.values, (file) => {
    try {
      return execFileSync(helmBinary(), templateArgs(o, file), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw helmError(`helm template ${o.release} ${o.chart}`, e);
    }
  });
  return parseRendered(o, text);
}

/** `renderChart` without blocking, so that several renderings can run at once. */
export async function renderChartAsync(o: RenderChartOptions): Promise<RenderedObject[]> {
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, stringify(o.values), { mode: 0o600 });
    const { stdout } = await promisify(execFile)(helmBinary(), templateArgs(o, file), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).catch((e) => {
      throw helmError(`helm template ${o.release} ${o.chart}`, e);
    });
    return parseRendered(o, stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function templateArgs(o: RenderChartOptions, file: string): string[] {
  const args = ['template', o.release, o.chart, ...commonArgs(o, file)];
  for (const t of o.showOnly ?? []) args.push('--show-only', t);
  if (o.includeCrds) args.push('--include-crds');
  return args;
}

function parseRendered(o: RenderChartOptions, text: string): RenderedObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new TestingError(`helm template ${o.release}: rendered YAML does not parse: ${d.errors[0]!.message}`);
      return d.toJS() as RenderedObject | null;
    })
    .filter((d): d is RenderedObject => d !== null && typeof d === 'object');
}

/**
 * `helm lint --strict` of one chart with the values: the lines Helm reports
 * (`[ERROR] ...`, `[WARNING] ...`; `[INFO]` lines are left out) and whether it passed.
 */
export function lintChart(o: Omit<RenderChartOptions, 'showOnly' | 'includeCrds'>): { ok: boolean; findings: string[] } {
  return withValues(o.values, (file) => {
    const r = spawnSync(helmBinary(), ['lint', '--strict', o.chart, ...commonArgs(o, file)], { encoding: 'utf8' });
    const findings = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter((l) => /^\[(ERROR|WARNING)\]/.test(l) || /^Error:/.test(l));
    return { ok: r.status === 0, findings };
  });
}
