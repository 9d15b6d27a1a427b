/**
 * Runs an LDAP check against a real server with ldapts, judging as Harbor 2.15 does
 * (src/pkg/ldap/ldap.go, src/core/auth/ldap/ldap.go): connect (TLS for ldaps:// and for port
 * 636), bind as the search account, search the user with the normalized filter and the uid
 * attribute (exactly one entry), then resolve the user's groups from the membership attribute
 * on the user entry only: each value must lie under the group base DN and be found by a search
 * based at it, with the group filter and the USER search scope (Harbor never reads
 * ldap_group_search_scope at login); the admin role needs a value equal to the admin DN as a
 * trimmed, lower-cased string. Every network wait is bounded by the settings' timeout.
 */
import { isIP, Socket, connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { AndFilter, Client, EqualityFilter, FilterParser, type Entry } from 'ldapts';
import { normalizeFilter } from './dn.js';
import { SCOPE, LdapStepFailure } from './entries.js';
import { judgeGroups, searchGroups } from './groups.js';
import { buildReport, type CheckedUser, type LdapCheckReport } from './report.js';
import type { LdapSettings } from './settings.js';
import {
  classifyBindError,
  classifyConnectError,
  classifySearchError,
  skippedAfter,
  userMatchVerdict,
  type StepName,
  type StepResult,
} from './steps.js';

export interface LdapCheckOptions {
  /** The search account's password. @default - anonymous when the settings have no search DN */
  readonly password?: string;
  /** A uid to look up. @default - the search step counts the entries the filter matches */
  readonly user?: string;
  /**
   * The CA bundle to trust, exactly: the TLS connection accepts only certificates chaining to
   * these CAs, not the system store. @default - the system's CAs (Node's bundled Mozilla list)
   */
  readonly ca?: { readonly pem: string; readonly file: string };
}

/** Enough to say the filter finds users without reading a whole directory. */
const COUNT_LIMIT = 1000;

/** Runs the check; never throws for a server-side problem: the report says what failed. */
export async function runLdapCheck(settings: LdapSettings, options: LdapCheckOptions = {}): Promise<LdapCheckReport> {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const steps: StepResult[] = [];
  let socket: Socket | undefined;
  let client: Client | undefined;
  let user: CheckedUser | undefined;

  /** Times one step; a LdapStepFailure becomes a failed step and stops the check. */
  async function step<T>(name: StepName, body: () => Promise<{ detail: string; value?: T }>): Promise<T | undefined> {
    const start = performance.now();
    try {
      const { detail, value } = await body();
      steps.push({ step: name, status: 'ok', detail, ms: performance.now() - start });
      return value;
    } catch (err) {
      if (!(err instanceof LdapStepFailure)) throw err;
      steps.push({ step: name, status: 'failed', detail: err.failure.message, reason: err.failure.reason, ms: performance.now() - start });
      steps.push(...skippedAfter(name, steps));
      throw err;
    }
  }

  try {
    const url = new URL(settings.url);
    // Harbor's formatURL: port 636 means TLS whatever the scheme; no port means 389 or 636.
    const secure = url.protocol === 'ldaps:' || url.port === '636';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (secure ? 636 : 389));
    const address = `${host}:${port}`;
    const trust = options.ca
      ? `the CA bundle ${options.ca.file} (and nothing else)`
      : settings.caBundleSecret
        ? `the system CAs, not the config's bundle in Secrets Manager secret ${settings.caBundleSecret}: pass that bundle with --ca-file`
        : undefined;

    socket = await step('connect', async () => {
      const s = await openSocket(host, port, secure, settings.verifyCertificate, timeoutMs, options.ca?.pem).catch((err) => {
        throw new LdapStepFailure(classifyConnectError(err, address, timeoutMs, trust));
      });
      const trusted = !secure ? '' : !settings.verifyCertificate ? ' (certificate not checked)' : options.ca ? ` (certificate checked against ${options.ca.file} only)` : '';
      return { detail: `${secure ? 'TLS ' : ''}connection to ${address}${trusted}`, value: s };
    });
    const connected = socket!;
    // ldapts takes the established socket; it supports one handed over already connected.
    client = new Client({
      url: url.href,
      timeout: timeoutMs,
      createConnection: () => connected,
      createSecureConnection: () => connected as TLSSocket,
    });

    const { searchDn } = settings;
    await step('bind', async () => {
      if (!searchDn) return { detail: 'anonymous search (no search DN configured)' };
      await client!.bind(searchDn, options.password ?? '').catch((err) => {
        throw new LdapStepFailure(classifyBindError(err, searchDn, timeoutMs));
      });
      return { detail: `bound as ${searchDn}` };
    });

    const found = await step<Entry>('search', () => (options.user ? searchUser(client!, settings, options.user, timeoutMs) : countUsers(client!, settings, timeoutMs)));

    const g = settings.groups;
    if (!g) {
      steps.push({ step: 'groups', status: 'skipped', detail: 'no group settings (ldap.groups, or --group-base-dn)' });
    } else if (!found) {
      await step('groups', async () => {
        const groups = await searchGroups(client!, { ...settings, groups: g }, timeoutMs);
        return { detail: `${groups.length} group(s) under ${g.baseDn} match ${g.filter}` };
      });
    } else {
      await step('groups', async () => {
        const judged = await judgeGroups(client!, { ...settings, groups: g }, found, options.user!, timeoutMs);
        user = { uid: options.user!, dn: found.dn, groups: judged.names, ...(judged.admin === undefined ? {} : { admin: judged.admin }) };
        return { detail: judged.detail };
      });
    }
    if (!user && found) user = { uid: options.user!, dn: found.dn, groups: [] };
  } catch (err) {
    if (!(err instanceof LdapStepFailure)) throw err;
  } finally {
    await close(client, socket, timeoutMs);
  }
  return buildReport(settings.url, steps, user);
}

function openSocket(host: string, port: number, secure: boolean, verify: boolean, timeoutMs: number, ca?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // `ca` replaces Node's CA list instead of adding to it: only that bundle is trusted.
    const socket = secure
      ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: verify, ...(ca ? { ca } : {}) })
      : netConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
  });
}

async function searchUser(client: Client, s: LdapSettings, uid: string, timeoutMs: number): Promise<{ detail: string; value: Entry }> {
  const base = normalizeFilter(s.filter);
  const shown = `(&${base}(${s.uidAttribute}=${uid}))`;
  let filter;
  try {
    filter = new AndFilter({ filters: [FilterParser.parseString(base), new EqualityFilter({ attribute: s.uidAttribute, value: uid })] });
  } catch (err) {
    throw new LdapStepFailure({ reason: 'invalid-filter', message: `${s.filter} is not a valid LDAP filter: ${(err as Error).message}` });
  }
  const attributes = [s.uidAttribute, ...(s.groups ? [s.groups.membershipAttribute] : [])];
  const result = await client
    .search(s.baseDn, { scope: SCOPE[s.scope], filter, attributes, timeLimit: s.timeoutSeconds })
    .catch((err) => {
      throw new LdapStepFailure(classifySearchError(err, s.baseDn, shown, timeoutMs));
    });
  const verdict = userMatchVerdict(result.searchEntries.map((e) => e.dn), uid, s.baseDn, shown);
  if ('reason' in verdict) throw new LdapStepFailure(verdict);
  return { detail: `${uid} is ${verdict.dn} (filter ${shown})`, value: result.searchEntries[0] };
}

async function countUsers(client: Client, s: LdapSettings, timeoutMs: number): Promise<{ detail: string }> {
  try {
    FilterParser.parseString(normalizeFilter(s.filter));
  } catch (err) {
    throw new LdapStepFailure({ reason: 'invalid-filter', message: `${s.filter} is not a valid LDAP filter: ${(err as Error).message}` });
  }
  let count: string;
  try {
    const result = await client.search(s.baseDn, { scope: SCOPE[s.scope], filter: normalizeFilter(s.filter), attributes: ['1.1'], sizeLimit: COUNT_LIMIT, timeLimit: s.timeoutSeconds });
    count = String(result.searchEntries.length);
  } catch (err) {
    // The server stopped at a size limit: there are entries, more than it will list.
    if ((err as { code?: unknown }).code !== 4) throw new LdapStepFailure(classifySearchError(err, s.baseDn, s.filter, timeoutMs));
    count = 'many';
  }
  if (count === '0') throw new LdapStepFailure({ reason: 'no-entries', message: `no entry under ${s.baseDn} matches ${s.filter}: Harbor would find no user` });
  return { detail: `${count} entries under ${s.baseDn} match ${s.filter} (give --user to look one up)` };
}

async function close(client: Client | undefined, socket: Socket | undefined, timeoutMs: number): Promise<void> {
  if (client?.isConnected) {
    await Promise.race([client.unbind().catch(() => undefined), new Promise((r) => setTimeout(r, Math.min(timeoutMs, 1000)).unref())]);
  }
  socket?.destroy();
}
