/**
 * Distinguished names compared the way Harbor compares them. Pure.
 *
 * Harbor (src/pkg/ldap/ldap.go, src/core/auth/ldap/ldap.go, 2.15):
 * - a group from the user's membership attribute counts when its DN parses and lies under
 *   the group base DN: `UnderBaseDN` lower-cases both, parses them with go-ldap `ParseDN`
 *   and asks `base.AncestorOf(child) || base.Equal(child)`, a structural comparison
 *   (spaces around `,` and `=` do not matter, attribute types and values compare after
 *   lower-casing);
 * - the admin group is matched by plain strings: `utils.TrimLower(adminDN) ==
 *   utils.TrimLower(groupDN)`, so a space after a comma in one and not the other is a
 *   different group to Harbor.
 * @see https://github.com/goharbor/harbor/blob/main/src/pkg/ldap/ldap.go
 */

/** One attribute-value assertion of an RDN. */
interface Ava {
  readonly type: string;
  readonly value: string;
}

/** A parsed DN: RDNs from the leaf to the root, each a set of AVAs. */
export type ParsedDn = readonly (readonly Ava[])[];

/**
 * Parses a DN as go-ldap's ParseDN does for the cases a directory returns: RDNs split on
 * unescaped `,` (or `;`), AVAs on `+`, `\` escapes (`\,`, `\+`, `\\`, `\"` and `\XX` hex),
 * spaces around types and values dropped. Undefined when it is not a DN.
 */
export function parseDn(dn: string): ParsedDn | undefined {
  if (dn.trim() === '') return [];
  const rdns: Ava[][] = [];
  let ava: Ava[] = [];
  let type = '';
  let value = '';
  let inValue = false;
  // Trailing spaces of a value are dropped unless escaped: remember where the escaped text ends.
  let keep = 0;
  const endAva = (): boolean => {
    const t = type.trim();
    const v = value.slice(0, Math.max(keep, value.trimEnd().length)).replace(/^ +/, '');
    if (!inValue || !/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)$/.test(t)) return false;
    ava.push({ type: t.toLowerCase(), value: v });
    type = '';
    value = '';
    inValue = false;
    keep = 0;
    return true;
  };
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (!inValue) {
      if (ch === '=') inValue = true;
      else if (ch === ',' || ch === '+' || ch === ';') return undefined;
      else type += ch;
      continue;
    }
    if (ch === '\\') {
      const hex = /^[0-9A-Fa-f]{2}/.exec(dn.slice(i + 1));
      if (hex) {
        value += String.fromCharCode(parseInt(hex[0], 16));
        i += 2;
      } else if (i + 1 < dn.length) {
        value += dn[++i];
      } else {
        return undefined;
      }
      keep = value.length;
      continue;
    }
    if (ch === '+') {
      if (!endAva()) return undefined;
    } else if (ch === ',' || ch === ';') {
      if (!endAva()) return undefined;
      rdns.push(ava);
      ava = [];
    } else {
      value += ch;
    }
  }
  if (!endAva()) return undefined;
  rdns.push(ava);
  return rdns;
}

function sameRdn(a: readonly Ava[], b: readonly Ava[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => x.type === y.type && x.value === y.value));
}

/** go-ldap `DN.Equal` over lower-cased DNs: same RDNs in the same order. */
export function dnEqual(a: string, b: string): boolean {
  const x = parseDn(a.toLowerCase());
  const y = parseDn(b.toLowerCase());
  return x !== undefined && y !== undefined && x.length === y.length && x.every((rdn, i) => sameRdn(rdn, y[i]!));
}

/** Harbor's `UnderBaseDN(base, child)`: the child is the base itself or below it (structurally, ignoring case). */
export function underBaseDn(base: string, child: string): boolean {
  const b = parseDn(base.toLowerCase());
  const c = parseDn(child.toLowerCase());
  if (!b || !c || c.length < b.length) return false;
  const offset = c.length - b.length;
  return b.every((rdn, i) => sameRdn(rdn, c[offset + i]!));
}

/** Harbor's admin-group test: the two strings equal after trimming and lower-casing, nothing more. */
export function harborSameString(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Harbor's `normalizeFilter`: trimmed, and wrapped in parentheses when it does not both
 * start with `(` and end with `)` (src/pkg/ldap/filter.go).
 */
export function normalizeFilter(filter: string): string {
  const f = filter.trim();
  if (f === '' || (f.startsWith('(') && f.endsWith(')'))) return f;
  return `(${f})`;
}
