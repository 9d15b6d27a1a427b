/**
 * The groups step, judged as Harbor 2.15 judges at login (src/core/auth/ldap/ldap.go
 * attachLDAPGroup and verifyGroupInLDAP, src/pkg/ldap/ldap.go searchGroup): groups come only from
 * the membership attribute on the user entry; each must lie under the group base DN and be found
 * by a search based at it with the group filter and the USER search scope; the admin role needs
 * a value equal to the admin DN as a trimmed, lower-cased string.
 */
import { AndFilter, EqualityFilter, FilterParser, OrFilter, PresenceFilter, type Client, type Entry } from 'ldapts';
import { dnEqual, harborSameString, normalizeFilter, parseDn, underBaseDn } from './dn.js';
import { attributeValues, SCOPE, LdapStepFailure } from './entries.js';
import type { LdapSettings } from './settings.js';
import { classifySearchError } from './steps.js';

/** Settings with group settings (`ldap.groups`, or --group-base-dn): the groups step runs only with them. */
export type LdapGroupSettings = LdapSettings & { readonly groups: NonNullable<LdapSettings['groups']> };

/** The groups under the group base DN that match the group filter (the check without --user). */
export async function searchGroups(client: Client, s: LdapGroupSettings, timeoutMs: number): Promise<{ dn: string; name: string }[]> {
  const g = s.groups;
  let result;
  try {
    const filter = normalizeFilter(g.filter);
    result = await client.search(g.baseDn, { scope: SCOPE[g.scope], filter, attributes: [g.nameAttribute], timeLimit: s.timeoutSeconds });
  } catch (err) {
    throw new LdapStepFailure(classifySearchError(err, g.baseDn, g.filter, timeoutMs));
  }
  if (result.searchEntries.length === 0) {
    throw new LdapStepFailure({ reason: 'no-entries', message: `no group under ${g.baseDn} matches ${g.filter}` });
  }
  return result.searchEntries.map((e) => ({ dn: e.dn, name: attributeValues(e, g.nameAttribute)[0] ?? e.dn }));
}

/** What Harbor would make of the user's groups, or a LdapStepFailure when it would grant none it should. */
export async function judgeGroups(
  client: Client,
  s: LdapGroupSettings,
  entry: Entry,
  uid: string,
  timeoutMs: number,
): Promise<{ names: string[]; admin?: boolean; detail: string }> {
  const g = s.groups;
  // Harbor trims each value of the membership attribute (OpenLDAP may return leading spaces).
  const memberOf = attributeValues(entry, g.membershipAttribute.trim()).map((v) => v.trim());
  if (memberOf.length === 0) {
    const listing = await groupsListing(client, s, entry.dn, uid, timeoutMs);
    if (listing.length > 0) {
      const { adminDn } = g;
      const adminToo = adminDn && listing.some((dn) => dnEqual(dn, adminDn)) ? ', nor the admin role' : '';
      throw new LdapStepFailure({
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
  const { adminDn } = g;
  if (adminDn) {
    admin = memberOf.some((dn) => harborSameString(dn, adminDn));
    const lookalike = admin ? undefined : memberOf.find((dn) => dnEqual(dn, adminDn));
    if (lookalike) {
      throw new LdapStepFailure({
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
async function verifyGroup(client: Client, s: LdapGroupSettings, dn: string, timeoutMs: number): Promise<string | undefined> {
  const g = s.groups;
  if (!parseDn(dn) || !underBaseDn(g.baseDn, dn)) return undefined;
  const groupFilter = FilterParser.parseString(normalizeFilter(g.filter));
  const filter = new AndFilter({ filters: [groupFilter, new PresenceFilter({ attribute: g.nameAttribute })] });
  let result;
  try {
    result = await client.search(dn, { scope: SCOPE[s.scope], filter, attributes: [g.nameAttribute], timeLimit: s.timeoutSeconds });
  } catch (err) {
    if ((err as { code?: unknown }).code === 32) return undefined;
    throw new LdapStepFailure(classifySearchError(err, dn, g.filter, timeoutMs));
  }
  const first = result.searchEntries[0];
  if (!first) return undefined;
  return attributeValues(first, g.nameAttribute)[0] ?? dn;
}

/** DNs of the groups under the group base that list the user by DN (member, uniqueMember) or uid (memberUid). */
async function groupsListing(client: Client, s: LdapGroupSettings, userDn: string, uid: string, timeoutMs: number): Promise<string[]> {
  const g = s.groups;
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
    throw new LdapStepFailure(classifySearchError(err, g.baseDn, g.filter, timeoutMs));
  }
}
