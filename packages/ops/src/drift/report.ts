import type { KubectlDiffResult } from './kubectl-diff.js';
import { isEmptyDiff, type TemplateDiff } from './template-diff.js';
import type { StackDriftResult } from '../aws/cloudformation.js';
import { markdownTable } from '../report/summary.js';

/** Template comparison of one stack: a diff, a stack that is not deployed, or an error. */
export type TemplateCheck =
  | { readonly stack: string; readonly outcome: 'compared'; readonly diff: TemplateDiff }
  | { readonly stack: string; readonly outcome: 'not-deployed' }
  | { readonly stack: string; readonly outcome: 'failed'; readonly reason: string };

/** The repository settings the roles' trust depends on (`github-setup --check`). */
export type GithubSettingsCheck =
  | { readonly outcome: 'compared'; readonly differences: string[]; readonly problems: string[] }
  | { readonly outcome: 'skipped'; readonly reason: string }
  /** `status`: GitHub's HTTP status, when it answered (401 bad token, 403 or 404 a token without access). */
  | { readonly outcome: 'failed'; readonly reason: string; readonly status?: number };

/** Harbor's garbage-collection schedule against the config's (`harbor-gc --check`). */
export type HarborGcCheck =
  | { readonly outcome: 'compared'; readonly differences: string[] }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly reason: string };

export interface DriftFindings {
  readonly environment: string;
  readonly stacks: StackDriftResult[];
  readonly templates: TemplateCheck[];
  readonly manifests: KubectlDiffResult;
  /** @default not checked */
  readonly github?: GithubSettingsCheck;
  /** @default not checked */
  readonly harborGc?: HarborGcCheck;
}

/** `error` wins over `drift`: a check that could not run says nothing about drift. */
export type DriftStatus = 'in-sync' | 'drift' | 'error';

export interface DriftVerdict {
  readonly status: DriftStatus;
  readonly drifted: string[];
  readonly errors: string[];
}

/** The pure decision: what drifted, what could not be checked, and the overall status. */
export function judgeDrift(f: DriftFindings): DriftVerdict {
  const drifted: string[] = [];
  const errors: string[] = [];
  for (const s of f.stacks) {
    if (s.outcome === 'drifted') drifted.push(`stack ${s.stack}: ${s.resources.length} resource(s) drifted`);
    if (s.outcome === 'failed') errors.push(`stack ${s.stack}: ${s.reason}`);
  }
  for (const t of f.templates) {
    if (t.outcome === 'compared' && !isEmptyDiff(t.diff)) drifted.push(`stack ${t.stack}: template differs from the synthesized one`);
    if (t.outcome === 'not-deployed') drifted.push(`stack ${t.stack}: not deployed`);
    if (t.outcome === 'failed') errors.push(`template of ${t.stack}: ${t.reason}`);
  }
  if (f.manifests.outcome === 'drifted') drifted.push('cluster objects differ from the synthesized manifests');
  if (f.manifests.outcome === 'failed') errors.push(`kubectl diff failed (exit ${f.manifests.exitCode}): ${f.manifests.reason}`);
  if (f.github?.outcome === 'compared') for (const d of [...f.github.differences, ...f.github.problems]) drifted.push(`GitHub settings: ${d}`);
  if (f.github?.outcome === 'failed') errors.push(`GitHub settings: ${f.github.reason}`);
  if (f.harborGc?.outcome === 'compared') for (const d of f.harborGc.differences) drifted.push(`Harbor: ${d}`);
  if (f.harborGc?.outcome === 'failed') errors.push(`Harbor GC schedule: ${f.harborGc.reason}`);
  return { status: errors.length ? 'error' : drifted.length ? 'drift' : 'in-sync', drifted, errors };
}

const MAX_DIFF_CHARS = 20_000;

export function driftMarkdown(f: DriftFindings, v: DriftVerdict): string {
  const head = { 'in-sync': 'no drift', 'drift': 'DRIFT FOUND', 'error': 'CHECK FAILED (not drift)' }[v.status];
  const lines = [`## Drift of ${f.environment}: ${head}`, ''];
  if (v.errors.length) lines.push('### Checks that could not run', ...v.errors.map((e) => `- ${e}`), '');
  lines.push(
    '### CloudFormation drift detection',
    markdownTable(['stack', 'result', 'details'], f.stacks.map((s) => [s.stack, s.outcome, s.outcome === 'drifted' ? s.resources.map((r) => `${r.logicalId} (${r.type}) ${r.status}: ${r.properties.map((p) => p.path).join(', ') || '-'}`).join('; ') : s.outcome === 'failed' ? s.reason : ''])),
    '',
    '### Synthesized template against the deployed one',
    markdownTable(['stack', 'result', 'details'], f.templates.map((t) => [t.stack, t.outcome === 'compared' ? (isEmptyDiff(t.diff) ? 'same' : 'differs') : t.outcome, t.outcome === 'compared' ? describeDiff(t.diff) : t.outcome === 'failed' ? t.reason : ''])),
    '',
    '### Kubernetes manifests (`kubectl diff`)',
  );
  if (f.manifests.outcome === 'in-sync') lines.push('No differences.');
  if (f.manifests.outcome === 'failed') lines.push(`kubectl diff failed (exit ${f.manifests.exitCode}): ${f.manifests.reason}`);
  if (f.manifests.outcome === 'drifted') {
    const diff = f.manifests.diff.length > MAX_DIFF_CHARS ? f.manifests.diff.slice(0, MAX_DIFF_CHARS) + '\n... (cut)' : f.manifests.diff;
    lines.push('```diff', diff.replace(/```/g, "'''"), '```');
  }
  if (f.github) {
    lines.push('', '### GitHub settings (OIDC subject template, environments)');
    if (f.github.outcome === 'compared') {
      const all = [...f.github.differences, ...f.github.problems];
      lines.push(all.length ? all.map((d) => `- ${d}`).join('\n') : 'As planned.');
    } else {
      lines.push(`${f.github.outcome === 'skipped' ? 'Not checked' : 'Check failed'}: ${f.github.reason}`);
    }
  }
  if (f.harborGc) {
    lines.push('', "### Harbor's garbage-collection schedule");
    if (f.harborGc.outcome === 'compared') lines.push(f.harborGc.differences.length ? f.harborGc.differences.map((d) => `- ${d}`).join('\n') : 'As configured.');
    else lines.push(`${f.harborGc.outcome === 'skipped' ? 'Not checked' : 'Check failed'}: ${f.harborGc.reason}`);
  }
  return lines.join('\n') + '\n';
}

function describeDiff(d: TemplateDiff): string {
  return [d.added.length && `added ${d.added.join(', ')}`, d.removed.length && `removed ${d.removed.join(', ')}`, d.changed.length && `changed ${d.changed.join(', ')}`].filter(Boolean).join('; ');
}
