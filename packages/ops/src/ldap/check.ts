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
import { AndFilter, Client, EqualityFilter, FilterParser, OrFilter, PresenceFilter, type Entry } from 'ldapts';
import { dnEqual, harborSameString, normalizeFilter, parseDn, underBaseDn } from './dn.js';
import { buildReport, type CheckedUser, type LdapCheckReport } from './report.js';
import type { LdapSettings } from './settings.js';
import {
  classifyBindError,
  classifyConnectError,
  classifySearchError,
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
  /**
   * The CA bundle to trust, exactly: the TLS connection accepts only certificates chaining to
   * these CAs, not the system store. @default - the system's CAs (Node's bundled Mozilla list)
   */
  readonly ca?: { readonly pem: string; readonly file: string };
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
        throw new StepFailure(classifyConnectError(err, address, timeoutMs, trust));
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
    } else if (!found) {
      const g = settings.groups;
      await step('groups', async () => {
        const groups = await searchGroups(client!, settings, timeoutMs);
        return { detail: `${groups.length} group(s) under ${g.baseDn} match ${g.filter}` };
      });
    } else {
      await step('groups', async () => {
        const judged = await judgeGroups(client!, settings, found, options.user!, timeoutMs);
        user = { uid: options.user!, dn: found.dn, groups: judged.names, ...(judged.admin === undefined ? {} : { admin: judged.admin }) };
        return { detail: judged.detail };
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
    FilterParser.parseString(normalizeFilter(s.filter));
  } catch (err) {
    throw new StepFailure({ reason: 'invalid-filter', message: `${s.filter} is not a valid LDAP filter: ${(err as Error).message}` });
  }
  let count: string;
  try {
    const result = await client.search(s.baseDn, { scope: SCOPE[s.scope], filter: normalizeFilter(s.filter), attributes: ['1.1'], sizeLimit: COUNT_LIMIT, timeLimit: s.timeoutSeconds });
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
    result = await client.search(g.baseDn, { scope: SCOPE[g.scope], filter: normalizeFilter(g.filter), attributes: [g.nameAttribute], timeLimit: s.timeoutSeconds });
  } catch (err) {
    throw new StepFailure(classifySearchError(err, g.baseDn, g.filter, timeoutMs));
  }
  if (result.searchEntries.length === 0) {
    throw new StepFailure({ reason: 'no-entries', message: `no group under ${g.baseDn} matches ${g.filter}` });
  }
  return result.searchEntries.map((e) => ({ dn: e.dn, name: attributeValues(e, g.nameAttribute)[0] ?? e.dn }));
}

/** What Harbor would make of the user's groups, or a StepFailure when it would grant none it should. */
async function judgeGroups(client: Client, s: LdapSettings, entry: Entry, uid: string, timeoutMs: number): Promise<{ names: string[]; admin?: boolean; detail: string }> {
  const g = s.groups!;
  // Harbor trims each value of the membership attribute (OpenLDAP may return leading spaces).
  const memberOf = attributeValues(entry, g.membershipAttribute.trim()).map((v) => v.trim());
  if (memberOf.length === 0) {
    const listing = await groupsListing(client, s, entry.dn, uid, timeoutMs);
    if (listing.length > 0) {
      const adminToo = g.adminDn && listing.some((dn) => dnEqual(dn, g.adminDn!)) ? ', nor the admin role' : '';
      throw new StepFailure({
        reason: 'membership-attribute-missing',
        message:
          `${uid}'s entry has no ${g.membershipAttribute} attribute, but ${listing.length} group(s) under ${g.baseDn} list the user (${listing.join('; ')}): ` +
          `Harbor reads groups only from ${g.membershipAttribute} on the user entry, so it would grant none of them${adminToo}: ` +
          'set groups.membershipAttribute (--group-membership-attribute) to the attribute your directory keeps on user entries ' +
          `(memberOf with the OpenLDAP memberof overlay, Active Directory or 389 Directory Server), or have the directory maintain ${g.membershipAttribute}`,
      });
    }
  }
  const names: string[] = [];
  const ignored: string[] = [];
  for (const dn of memberOf) {
    const group = await verifyGroup(client, s, dn, timeoutMs);
    if (group) names.push(group);
    else ignored.push(dn);
  }
  let admin: boolean | undefined;
  if (g.adminDn) {
    admin = memberOf.some((dn) => harborSameString(dn, g.adminDn!));
    const lookalike = admin ? undefined : memberOf.find((dn) => dnEqual(dn, g.adminDn!));
    if (lookalike) {
      throw new StepFailure({
        reason: 'admin-dn-mismatch',
        message:
          `groups.adminDn "${g.adminDn}" names the same entry as ${uid}'s ${g.membershipAttribute} value "${lookalike}", but Harbor compares them as trimmed, ` +
          `lower-cased strings, so it would not grant the admin role: write groups.adminDn exactly as the directory does, "${lookalike}"`,
      });
    }
  }
  const list = names.length ? names.join(', ') : `no group under ${g.baseDn}`;
  const oneLevel = s.scope === 'onelevel' ? '; Harbor looks each group up at its own DN with the user search scope, onelevel, which never returns the entry itself' : '';
  const skipped = ignored.length ? `; ${ignored.length} ${g.membershipAttribute} value(s) Harbor ignores (not under ${g.baseDn}, or not found by ${g.filter}${oneLevel})` : '';
  const adminText = admin === undefined ? '' : admin ? '; member of the admin group' : '; not in the admin group';
  return { names, ...(admin === undefined ? {} : { admin }), detail: `${uid} is in ${list} (via ${g.membershipAttribute})${skipped}${adminText}` };
}

/**
 * Harbor's `verifyGroupInLDAP` for one DN of the membership attribute: it must parse, lie under
 * the group base DN, and be found by a search based at it with the group filter AND the user
 * search scope; the name is the first value of the name attribute, else the DN.
 */
async function verifyGroup(client: Client, s: LdapSettings, dn: string, timeoutMs: number): Promise<string | undefined> {
  const g = s.groups!;
  if (!parseDn(dn) || !underBaseDn(g.baseDn, dn)) return undefined;
  const filter = new AndFilter({ filters: [FilterParser.parseString(normalizeFilter(g.filter)), new PresenceFilter({ attribute: g.nameAttribute })] });
  let result;
  try {
    result = await client.search(dn, { scope: SCOPE[s.scope], filter, attributes: [g.nameAttribute], timeLimit: s.timeoutSeconds });
  } catch (err) {
    if ((err as { code?: unknown }).code === 32) return undefined;
    throw new StepFailure(classifySearchError(err, dn, g.filter, timeoutMs));
  }
  const first = result.searchEntries[0];
  if (!first) return undefined;
  return attributeValues(first, g.nameAttribute)[0] ?? dn;
}

/** DNs of the groups under the group base that list the user by DN (member, uniqueMember) or uid (memberUid). */
async function groupsListing(client: Client, s: LdapSettings, userDn: string, uid: string, timeoutMs: number): Promise<string[]> {
  const g = s.groups!;
  const filter = new AndFilter({
    filters: [
      FilterParser.parseString(normalizeFilter(g.filter)),
      new OrFilter({
        filters: [
          new EqualityFilter({ attribute: 'member', value: userDn }),
          new EqualityFilter({ attribute: 'uniqueMember', value: userDn }),
          new EqualityFilter({ attribute: 'memberUid', value: uid }),
        ],
      }),
    ],
  });
  try {
    const result = await client.search(g.baseDn, { scope: SCOPE[g.scope], filter, attributes: ['1.1'], timeLimit: s.timeoutSeconds });
    return result.searchEntries.map((e) => e.dn);
  } catch (err) {
    throw new StepFailure(classifySearchError(err, g.baseDn, g.filter, timeoutMs));
  }
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
