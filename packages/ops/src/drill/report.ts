import type { DrillResult } from './run.js';
import { markdownTable } from '../report/summary.js';

const minutes = (ms?: number) => (ms === undefined ? '-' : `${(ms / 60_000).toFixed(1)} min`);

/** One line for the issue title and the closing comment. */
export function drillHeadline(r: DrillResult): string {
  if (!r.ok) return `restore drill of ${r.environment} failed at ${r.failedStep}: ${r.reason}`;
  return `restore drill of ${r.environment} passed: RTO ${minutes(r.rtoMs)} (target ${minutes(r.rtoTargetMs)}), RPO ${minutes(r.rpoMs)}`;
}

/** The drill's result as Markdown, for stdout, the job summary and the issue. */
export function drillMarkdown(r: DrillResult): string {
  const rtoMet = r.rtoMs !== undefined && r.rtoMs <= r.rtoTargetMs;
  const rows: (string | number)[][] = [
    ['result', r.ok ? 'passed' : `FAILED at ${r.failedStep}`],
    ['Velero backup', r.backup ?? '-'],
    ['registry-data inventory', r.copy ? `${r.copy.inventory} (${r.copy.takenAt.toISOString()})` : '-'],
    ['restore', r.restoreName ? `${r.restoreName}: ${r.restorePhase ?? 'not finished'}` : '-'],
    ['restored workloads ready', r.readyMs === undefined ? '-' : `after ${minutes(r.readyMs)}`],
    ['drill MinIO provisioned (bucket, user, policy)', r.provisioned ? `by job ${r.provisioned}` : '-'],
    ['RTO (restore start to verified)', r.rtoMs === undefined ? '-' : `${minutes(r.rtoMs)} (target ${minutes(r.rtoTargetMs)}${rtoMet ? ', met' : ', MISSED'})`],
    ['RPO (age of the older backup)', minutes(r.rpoMs)],
    ['registry-data RPO (age of the copy)', registryDataRpo(r)],
    ['registry objects restored', r.filled ? `${r.filled.objects} (${r.filled.bytes} bytes)` : '-'],
    ['verify', r.verify ? `${r.verify.summary} (${r.verify.artifactsChecked} artifacts, ${r.verify.bytesHashed} bytes hashed)` : '-'],
    ['clean-up', r.cleanup.ok ? `done (${[...r.cleanup.namespaces, ...r.cleanup.volumes].join(', ') || 'nothing left'})` : `FAILED: ${r.cleanup.problems.join('; ')}`],
  ];
  const lines = [`## Restore drill of ${r.environment}: ${r.ok ? 'passed' : 'FAILED'}`, '', markdownTable(['', ''], rows)];
  if (!r.ok) lines.push('', `**Why:** ${r.reason}`);
  if (r.verify?.problems.length) lines.push('', '### Verify problems', ...r.verify.problems.slice(0, 200).map((p) => `- ${p}`));
  return lines.join('\n') + '\n';
}

/** The registry-data RPO the drill got, against the schedule's worst case when known. */
function registryDataRpo(r: DrillResult): string {
  if (r.registryDataRpoMs === undefined) return '-';
  const worst = r.registryDataRpoWorstMs;
  if (worst === undefined) return minutes(r.registryDataRpoMs);
  return `${minutes(r.registryDataRpoMs)} (worst case by schedule ${minutes(worst)}${r.registryDataRpoMs > worst ? ', EXCEEDED: a copy was missed' : ''})`;
}
