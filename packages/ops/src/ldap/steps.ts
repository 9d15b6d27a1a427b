/**
 * The steps of an LDAP check, as Harbor's LDAP ping and user search run them, and the
 * classification of what went wrong into one precise reason. Pure: no network here.
 */

export type StepName = 'connect' | 'bind' | 'search' | 'groups';
export const STEP_NAMES: readonly StepName[] = ['connect', 'bind', 'search', 'groups'];

/** Why a check failed; each maps to one thing an operator can fix. */
export type FailureReason =
  | 'unreachable' // nothing listens, or the host name does not resolve
  | 'timeout' // no answer within the bound
  | 'tls' // the TLS handshake or the certificate check failed
  | 'invalid-credentials' // the search DN or its password is wrong
  | 'bind-refused' // the server refused the bind for another reason (anonymous off, TLS required...)
  | 'no-such-base' // the base DN does not exist
  | 'access-denied' // the search account may not read there
  | 'invalid-filter' // the filter is not valid LDAP filter syntax
  | 'user-not-found' // no entry matches filter + uid
  | 'several-matches' // the filter is too loose: more than one entry for one uid
  | 'no-entries' // the filter matches nothing under the base DN
  | 'membership-attribute-missing' // the user entry lacks the membership attribute, though groups list the user
  | 'admin-dn-mismatch' // the admin DN names the user's group, but not as the same string Harbor compares
  | 'ldap-error'; // any other LDAP result code

export type StepStatus = 'ok' | 'failed' | 'skipped';

export interface StepResult {
  readonly step: StepName;
  readonly status: StepStatus;
  /** What was done or found, or why it failed, in one line. */
  readonly detail: string;
  /** Set when status is "failed". */
  readonly reason?: FailureReason;
  /** Wall time of the step. @default - absent for skipped steps */
  readonly ms?: number;
}

export interface Failure {
  readonly reason: FailureReason;
  readonly message: string;
}

/**
 * What an error from the socket layer means for the connect step.
 * @param trust what the TLS connection trusted, named in a certificate failure. @default - the system CAs
 */
export function classifyConnectError(err: unknown, address: string, timeoutMs: number, trust?: string): Failure {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(e?.message ?? '')) {
    return { reason: 'timeout', message: `no answer from ${address} within ${timeoutMs / 1000}s` };
  }
  if (code === 'ECONNREFUSED') return { reason: 'unreachable', message: `connection refused by ${address}: is the LDAP server running on that port?` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { reason: 'unreachable', message: `cannot resolve the host of ${address}` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET') {
    return { reason: 'unreachable', message: `${address} is unreachable (${code})` };
  }
  if (/CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|SSL/.test(code) || /certificate|ssl|tls/i.test(e?.message ?? '')) {
    const fix = trust ? `the certificate was checked against ${trust}` : "trust the directory's CA with --ca-file <bundle.pem>, or --no-verify-certificate outside production";
    // Node 24 appends a hint about --use-system-ca to a certificate error; what was trusted is ours to say (fix).
    const why = (e?.message ?? code).replace(/; if the root CA is installed locally, try running Node\.js with --use-system-ca$/, '');
    return { reason: 'tls', message: `TLS with ${address} failed: ${why} (${fix})` };
  }
  return { reason: 'unreachable', message: `cannot connect to ${address}: ${e?.message ?? String(err)}` };
}

/** LDAP result codes (RFC 4511) the check names. */
const RESULT = {
  timeLimitExceeded: 3,
  strongAuthRequired: 8,
  confidentialityRequired: 13,
  noSuchObject: 32,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
} as const;

/** An operation's error: an LDAP result (ldapts sets `code`) or an operation timeout. */
function ldapFailure(err: unknown, timeoutMs: number): Failure | undefined {
  const e = err as { code?: unknown; message?: string };
  if (/Operation timed out|Connection timeout/i.test(e?.message ?? '')) {
    return { reason: 'timeout', message: `the server did not answer within ${timeoutMs / 1000}s` };
  }
  if (typeof e?.code !== 'number') return undefined;
  if (e.code === RESULT.timeLimitExceeded) return { reason: 'timeout', message: 'the server hit its time limit' };
  return undefined;
}

function resultText(err: unknown): string {
  const e = err as { code?: unknown; message?: string };
  return typeof e?.code === 'number' ? `LDAP result ${e.code}: ${(e.message ?? '').replace(/ Code: 0x[0-9a-f]+$/, '')}` : (e?.message ?? String(err));
}

/** What a failed bind means. */
export function classifyBindError(err: unknown, dn: string, timeoutMs: number): Failure {
  const known = ldapFailure(err, timeoutMs);
  if (known) return known;
  const code = (err as { code?: unknown })?.code;
  if (code === RESULT.invalidCredentials) {
    return { reason: 'invalid-credentials', message: `invalid credentials for ${dn}: wrong password or unknown DN (LDAP result 49)` };
  }
  if (code === RESULT.confidentialityRequired || code === RESULT.strongAuthRequired) {
    return { reason: 'bind-refused', message: `the server requires a protected connection before binding as ${dn}: use ldaps:// (${resultText(err)})` };
  }
  if (code === RESULT.unwillingToPerform || code === RESULT.inappropriateAuthentication) {
    return { reason: 'bind-refused', message: `the server refused the bind as ${dn} (${resultText(err)})` };
  }
  if (typeof code === 'number') return { reason: 'bind-refused', message: `bind as ${dn} failed (${resultText(err)})` };
  return { reason: 'unreachable', message: `the connection broke during the bind: ${resultText(err)}` };
}

/** What a failed search means; `base` is the DN searched, `filter` the filter sent. */
export function classifySearchError(err: unknown, base: string, filter: string, timeoutMs: number): Failure {
  const known = ldapFailure(err, timeoutMs);
  if (known) return known;
  const e = err as { code?: unknown; message?: string };
  if (e?.code === RESULT.noSuchObject) return { reason: 'no-such-base', message: `the base DN ${base} does not exist (or the search account cannot see it)` };
  if (e?.code === RESULT.insufficientAccessRights) return { reason: 'access-denied', message: `the search account may not search ${base} (LDAP result 50)` };
  if (typeof e?.code !== 'number' && /filter|paren/i.test(e?.message ?? '')) {
    return { reason: 'invalid-filter', message: `${filter} is not a valid LDAP filter: ${e?.message}` };
  }
  if (typeof e?.code === 'number') return { reason: 'ldap-error', message: `search under ${base} failed (${resultText(err)})` };
  return { reason: 'unreachable', message: `the connection broke during the search: ${resultText(err)}` };
}

/** Entries named in a "several matches" failure; the rest are counted. */
const MAX_LISTED = 10;

/** The verdict on the entries a user search returned (Harbor needs exactly one). */
export function userMatchVerdict(dns: readonly string[], uid: string, base: string, filter: string): Failure | { dn: string } {
  if (dns.length === 1) return { dn: dns[0] };
  if (dns.length === 0) return { reason: 'user-not-found', message: `user "${uid}" not found: no entry under ${base} matches ${filter}` };
  const listed = dns.slice(0, MAX_LISTED).join('; ') + (dns.length > MAX_LISTED ? `; and ${dns.length - MAX_LISTED} more` : '');
  return {
    reason: 'several-matches',
    message: `filter matches several entries for user "${uid}": ${dns.length} entries under ${base} match ${filter}: ${listed}; narrow the filter or the base DN so that one uid finds one entry`,
  };
}

/** Steps after a failed one are reported as skipped, naming the step that stopped the check. */
export function skippedAfter(failed: StepName, done: readonly StepResult[]): StepResult[] {
  const seen = new Set(done.map((s) => s.step));
  return STEP_NAMES.filter((s) => !seen.has(s)).map((step) => ({ step, status: 'skipped' as const, detail: `not run: ${failed} failed` }));
}
