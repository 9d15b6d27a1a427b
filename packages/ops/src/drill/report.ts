import type { DrillResult } from './run.js';
import { markdownTable } from '../report/summary.js';

const minutes = (ms?: number) => (ms === undefined ? '-' : `${(ms / 60_000).toFixed(1)} min`);
const seconds = (ms?: number) => (ms === undefined ? '-' : `${Math.round(ms / 1000)} s`);

/** One line for the issue title and the closing comment. */
export function drillHeadline(r: DrillResult): string {
  if (!r.ok) return `restore drill of ${r.environment} failed at ${r.failedStep}: ${r.reason}`;
  const z = r.zoneLoss;
  const az = z ? `, AZ loss of ${z.zone}: detected in ${seconds(z.detectMs)}, healed in ${seconds(z.healMs)}` : '';
  return `restore drill of ${r.environment} passed: RTO ${minutes(r.rtoMs)} (target ${minutes(r.rtoTargetMs)}), RPO ${minutes(r.rpoMs)}${az}`;
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
    ...zoneLossRows(r),
    ['clean-up', r.cleanup.ok ? `done (${[...r.cleanup.namespaces, ...r.cleanup.volumes].join(', ') || 'nothing left'})` : `FAILED: ${r.cleanup.problems.join('; ')}`],
  ];
  const lines = [`## Restore drill of ${r.environment}: ${r.ok ? 'passed' : 'FAILED'}`, '', markdownTable(['', ''], rows)];
  if (!r.ok) lines.push('', `**Why:** ${r.reason}`);
  if (r.verify?.problems.length) lines.push('', '### Verify problems', ...r.verify.problems.slice(0, 200).map((p) => `- ${p}`));
  if (r.zoneLoss) lines.push('', `### AZ loss of ${r.zoneLoss.zone}`, ...r.zoneLoss.verdicts.map((v) => `- ${v}`), ...(r.zoneLoss.reason ? [`- FAILED: ${r.zoneLoss.reason}`] : []));
  return lines.join('\n') + '\n';
}

/** The registry-data RPO the drill got, against the schedule's worst case when known. */
function registryDataRpo(r: DrillResult): string {
  if (r.registryDataRpoMs === undefined) return '-';
  const worst = r.registryDataRpoWorstMs;
  if (worst === undefined) return minutes(r.registryDataRpoMs);
  return `${minutes(r.registryDataRpoMs)} (worst case by schedule ${minutes(worst)}${r.registryDataRpoMs > worst ? ', EXCEEDED: a copy was missed' : ''})`;
}

/** The AZ-loss step beside RTO and RPO: which AZ and why, the result, the times to detect and to heal. */
function zoneLossRows(r: DrillResult): string[][] {
  const z = r.zoneLoss;
  if (!z) return [['AZ loss', r.rtoMs === undefined ? '-' : 'not run (velero.drill.zoneLoss.enabled: false)']];
  const promised = `reads ${z.promise.read ? 'survive' : 'stop'}, writes ${z.promise.write ? 'survive' : 'stop'}`;
  return [
    ['AZ loss', `${z.ok ? 'passed' : 'FAILED'}: ${z.zone} (${z.why}); the plan: ${promised}`],
    ['AZ loss: time to detect', z.detectMs === undefined ? '-' : `${seconds(z.detectMs)} (servers gone), ${seconds(z.settleMs)} to every promised outcome`],
    ['AZ loss: time to heal', z.healMs === undefined ? '-' : `${seconds(z.healMs)} (zone back to every object readable)`],
  ];
}
