import type { RestoreResult } from './run.js';
import { markdownTable } from '../report/summary.js';

export function restoreHeadline(r: RestoreResult): string {
  return r.ok ? `restore of ${r.environment} from ${r.backup} verified` : `restore of ${r.environment} from ${r.backup} failed at ${r.failedStep}: ${r.reason}`;
}

export function restoreMarkdown(r: RestoreResult): string {
  const rows: (string | number)[][] = [
    ['result', r.ok ? 'verified' : `FAILED at ${r.failedStep}`],
    ['Velero backup', r.backup],
    ['namespaces', r.namespaces.join(', ')],
    ['safety backup', r.safetyBackup ? `${r.safetyBackup.velero} + registry inventory ${r.safetyBackup.registryInventory}` : '-'],
    ['registry-data inventory', r.copy ? `${r.copy.inventory} (${r.copy.takenAt.toISOString()})` : '-'],
    ['registry-data RPO (copy to backup)', r.registryDataRpoMs === undefined ? '-' : `${(r.registryDataRpoMs / 60_000).toFixed(1)} min`],
    ['restore', r.restoreName ?? '-'],
    ['registry objects restored', r.filled ? `${r.filled.objects} (${r.filled.bytes} bytes)` : '-'],
    ['verify', r.verify ? `${r.verify.summary}` : '-'],
    ['duration (restore start to verified)', r.durationMs === undefined ? '-' : `${(r.durationMs / 60_000).toFixed(1)} min`],
  ];
  const lines = [`## Restore of ${r.environment}: ${r.ok ? 'verified' : 'FAILED'}`, '', markdownTable(['', ''], rows)];
  if (!r.ok) lines.push('', `**Why:** ${r.reason}`);
  if (r.verify?.problems.length) lines.push('', '### Verify problems', ...r.verify.problems.slice(0, 200).map((p) => `- ${p}`));
  return lines.join('\n') + '\n';
}
