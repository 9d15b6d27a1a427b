/** The result of one LDAP check and its text form. Pure. */
import type { Failure, StepResult } from './steps.js';

/** The user a check looked up (with --user). */
export interface CheckedUser {
  readonly uid: string;
  readonly dn: string;
  /** Group names (nameAttribute) resolved through the membership attribute. */
  readonly groups: string[];
  /** Whether the user is in the admin group. @default - absent when no admin group is configured */
  readonly admin?: boolean;
}

export interface LdapCheckReport {
  /** Format of this document; bumped on incompatible changes. */
  readonly version: 1;
  readonly url: string;
  readonly ok: boolean;
  readonly steps: StepResult[];
  /** The first failure, when ok is false. */
  readonly failure?: Failure & { readonly step: StepResult['step'] };
  readonly user?: CheckedUser;
}

/** Builds the report from the steps run; the first failed step decides the verdict. */
export function buildReport(url: string, steps: StepResult[], user?: CheckedUser): LdapCheckReport {
  const failed = steps.find((s) => s.status === 'failed');
  return {
    version: 1,
    url,
    ok: !failed,
    steps,
    ...(failed ? { failure: { step: failed.step, reason: failed.reason!, message: failed.detail } } : {}),
    ...(user ? { user } : {}),
  };
}

const MARK = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;

/** One line per step, like Harbor's LDAP ping, then the verdict. */
export function formatReport(report: LdapCheckReport): string {
  const width = Math.max(...report.steps.map((s) => s.step.length));
  const lines = [`LDAP check of ${report.url}`];
  for (const s of report.steps) {
    const ms = s.ms === undefined ? '' : ` (${Math.round(s.ms)} ms)`;
    lines.push(`  ${MARK[s.status]}  ${s.step.padEnd(width)}  ${s.detail}${ms}`);
  }
  lines.push(report.ok ? 'result: ok' : `result: failed at ${report.failure!.step}: ${report.failure!.reason}`);
  return lines.join('\n');
}
