/**
 * Runs an LDAP check against a real server with ldapts: connect, bind as the search account,
 * search the user with the filter and uid attribute, resolve the user's groups through the
 * membership attribute. Every network wait is bounded by the settings' timeout.
 */
import { isIP, Socket, connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { AndFilter, Client, EqualityFilter, FilterParser, type Entry } from 'ldapts';
import { buildReport, type CheckedUser, type LdapCheckReport } from './report.js';
import type { LdapSettings } from './settings.js';
import {
  classifyBindError,
  classifyConnectError,
  classifySearchError,
  resolveGroups,
  sameDn,
  skippedAfter,
  userMatchVerdict,
  type Failure,
  type StepName,
  type StepResult,
} from './steps.js';

export interface LdapCheckOptions {
  /** The search account's password. @default - anonymous when the settings have no search DN */
  readonly password?: string;
  /** A uid to look up. @default - the search step counts the entries the filter matches */
  readonly user?: string;
}

const SCOPE = { base: 'base', onelevel: 'one', subtree: 'sub' } as const;
/** Enough to say the filter finds users without reading a whole directory. */
const COUNT_LIMIT = 1000;

class StepFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Runs the check; never throws for a server-side problem: the report says what failed. */
export async function runLdapCheck(settings: LdapSettings, options: LdapCheckOptions = {}): Promise<LdapCheckReport> {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const steps: StepResult[] = [];
  let socket: Socket | undefined;
  let client: Client | undefined;
  let user: CheckedUser | undefined;

  /** Times one step; a StepFailure becomes a failed step and stops the check. */
  async function step<T>(name: StepName, body: () => Promise<{ detail: string; value?: T }>): Promise<T | undefined> {
    const start = performance.now();
    try {
      const { detail, value } = await body();
      steps.push({ step: name, status: 'ok', detail, ms: performance.now() - start });
      return value;
    } catch (err) {
      if (!(err instanceof StepFailure)) throw err;
      steps.push({ step: name, status: 'failed', detail: err.failure.message, reason: err.failure.reason, ms: performance.now() - start });
      steps.push(...skippedAfter(name, steps));
      throw err;
    }
  }

  try {
    const url = new URL(settings.url);
    const secure = url.protocol === 'ldaps:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (secure ? 636 : 389));
    const address = `${host}:${port}`;

    socket = await step('connect', async () => {
      const s = await openSocket(host, port, secure, settings.verifyCertificate, timeoutMs).catch((err) => {
        throw new StepFailure(classifyConnectError(err, address, timeoutMs));
      });
      return { detail: `${secure ? 'TLS ' : ''}connection to ${address}`, value: s };
    });
    const connected = socket!;
    // ldapts takes the established socket; it supports one handed over already connected.
    client = new Client({
      url: url.href,
      timeout: timeoutMs,
      createConnection: () => connected,
      createSecureConnection: () => connected as TLSSocket,
    });

    await step('bind', async () => {
      if (!settings.searchDn) return { detail: 'anonymous search (no search DN configured)' };
      await client!.bind(settings.searchDn, options.password ?? '').catch((err) => {
        throw new StepFailure(classifyBindError(err, settings.searchDn!, timeoutMs));
      });
      return { detail: `bound as ${settings.searchDn}` };
    });

    const found = await step<Entry>('search', () => (options.user ? searchUser(client!, settings, options.user, timeoutMs) : countUsers(client!, settings, timeoutMs)));

    if (!settings.groups) {
      steps.push({ step: 'groups', status: 'skipped', detail: 'no group settings (ldap.groups, or --group-base-dn)' });
    } else {
      const g = settings.groups;
      await step('groups', async () => {
        const groups = await searchGroups(client!, settings, timeoutMs);
        if (!found) return { detail: `${groups.length} group(s) under ${g.baseDn} match ${g.filter}` };
        const memberOf = attributeValues(found, g.membershipAttribute);
        const { names } = resolveGroups(memberOf, groups);
        const admin = g.adminDn ? memberOf.some((dn) => sameDn(dn, g.adminDn!)) : undefined;
        user = { uid: options.user!, dn: found.dn, groups: names, ...(admin === undefined ? {} : { admin }) };
        const list = names.length ? names.join(', ') : `no group under ${g.baseDn}`;
        const adminText = admin === undefined ? '' : admin ? '; member of the admin group' : '; not in the admin group';
        return { detail: `${options.user} is in ${list} (via ${g.membershipAttribute})${adminText}` };
      });
    }
    if (!user && found) user = { uid: options.user!, dn: found.dn, groups: [] };
  } catch (err) {
    if (!(err instanceof StepFailure)) throw err;
  } finally {
    await close(client, socket, timeoutMs);
  }
  return buildReport(settings.url, steps, user);
}

function openSocket(host: string, port: number, secure: boolean, verify: boolean, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: verify })
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
  const shown = `(&${s.filter}(${s.uidAttribute}=${uid}))`;
  let filter;
  try {
    filter = new AndFilter({ filters: [FilterParser.parseString(s.filter), new EqualityFilter({ attribute: s.uidAttribute, value: uid })] });
  } catch (err) {
    throw new StepFailure({ reason: 'invalid-filter', message: `${s.filter} is not a valid LDAP filter: ${(err as Error).message}` });
  }
  const attributes = [s.uidAttribute, ...(s.groups ? [s.groups.membershipAttribute] : [])];
  const result = await client
    .search(s.baseDn, { scope: SCOPE[s.scope], filter, attributes, timeLimit: s.timeoutSeconds })
    .catch((err) => {
      throw new StepFailure(classifySearchError(err, s.baseDn, shown, timeoutMs));
    });
  const verdict = userMatchVerdict(result.searchEntries.map((e) => e.dn), uid, s.baseDn, shown);
  if ('reason' in verdict) throw new StepFailure(verdict);
  return { detail: `${uid} is ${verdict.dn} (filter ${shown})`, value: result.searchEntries[0] };
}

async function countUsers(client: Client, s: LdapSettings, timeoutMs: number): Promise<{ detail: string }> {
  try {
    FilterParser.parseString(s.filter);
  } catch (err) {
    throw new StepFailure({ reason: 'invalid-filter', message: `${s.filter} is not a valid LDAP filter: ${(err as Error).message}` });
  }
  let count: string;
  try {
    const result = await client.search(s.baseDn, { scope: SCOPE[s.scope], filter: s.filter, attributes: ['1.1'], sizeLimit: COUNT_LIMIT, timeLimit: s.timeoutSeconds });
    count = String(result.searchEntries.length);
  } catch (err) {
    // The server stopped at a size limit: there are entries, more than it will list.
    if ((err as { code?: unknown }).code !== 4) throw new StepFailure(classifySearchError(err, s.baseDn, s.filter, timeoutMs));
    count = 'many';
  }
  if (count === '0') throw new StepFailure({ reason: 'no-entries', message: `no entry under ${s.baseDn} matches ${s.filter}: Harbor would find no user` });
  return { detail: `${count} entries under ${s.baseDn} match ${s.filter} (give --user to look one up)` };
}

async function searchGroups(client: Client, s: LdapSettings, timeoutMs: number): Promise<{ dn: string; name: string }[]> {
  const g = s.groups!;
  let result;
  try {
    result = await client.search(g.baseDn, { scope: SCOPE[g.scope], filter: g.filter, attributes: [g.nameAttribute], timeLimit: s.timeoutSeconds });
  } catch (err) {
    throw new StepFailure(classifySearchError(err, g.baseDn, g.filter, timeoutMs));
  }
  if (result.searchEntries.length === 0) {
    throw new StepFailure({ reason: 'no-entries', message: `no group under ${g.baseDn} matches ${g.filter}` });
  }
  return result.searchEntries.map((e) => ({ dn: e.dn, name: attributeValues(e, g.nameAttribute)[0] ?? e.dn }));
}

/** An attribute's values, whatever case the server spelled its name in. */
function attributeValues(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key ? entry[key] : undefined;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

async function close(client: Client | undefined, socket: Socket | undefined, timeoutMs: number): Promise<void> {
  if (client?.isConnected) {
    await Promise.race([client.unbind().catch(() => undefined), new Promise((r) => setTimeout(r, Math.min(timeoutMs, 1000)).unref())]);
  }
  socket?.destroy();
}
