import type { IssueTracker } from '../github/issues.js';

/** What a report is about: one open issue per environment and kind at most. */
export type ReportKind = 'drift' | 'drill' | 'restore';

export interface Report {
  readonly environment: string;
  readonly kind: ReportKind;
  /** `true` closes the open issue (if any); `false` opens or updates it. */
  readonly healthy: boolean;
  /** One line for the issue title and the closing comment. */
  readonly headline: string;
  /** Markdown with the details. */
  readonly body: string;
}

export type IssueAction = { action: 'created' | 'updated' | 'closed'; number: number } | { action: 'none' };

/** The labels that identify an environment's issue of one kind (created on first use by GitHub). */
export function reportLabels(kind: ReportKind, environment: string): string[] {
  return [`harbor-platform:${kind}`, `env:${environment}`];
}

const TITLES: Record<ReportKind, string> = { drift: 'Drift', drill: 'Restore drill failing', restore: 'Restore failed' };

export function reportTitle(kind: ReportKind, environment: string): string {
  return `${TITLES[kind]} in ${environment}`;
}

/**
 * Opens the issue when something is wrong and none is open, refreshes it when one is,
 * and closes it once the environment is green again. Never opens a second one.
 */
export async function reconcileIssue(tracker: IssueTracker, report: Report): Promise<IssueAction> {
  const labels = reportLabels(report.kind, report.environment);
  const open = await tracker.findOpen(labels);
  const title = reportTitle(report.kind, report.environment);
  if (report.healthy) {
    if (!open) return { action: 'none' };
    await tracker.comment(open.number, `Resolved: ${report.headline}\n\n${report.body}`);
    await tracker.close(open.number);
    return { action: 'closed', number: open.number };
  }
  if (!open) {
    const created = await tracker.create({ title, body: report.body, labels });
    return { action: 'created', number: created.number };
  }
  await tracker.update(open.number, { title, body: report.body });
  await tracker.comment(open.number, `Still failing: ${report.headline}`);
  return { action: 'updated', number: open.number };
}
