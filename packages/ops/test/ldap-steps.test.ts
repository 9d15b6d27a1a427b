import { describe, expect, it } from 'vitest';
import { dnEqual, harborSameString, normalizeFilter, parseDn, underBaseDn } from '../src/ldap/dn.js';
import { buildReport, formatReport } from '../src/ldap/report.js';
import {
  classifyBindError,
  classifyConnectError,
  classifySearchError,
  skippedAfter,
  userMatchVerdict,
  type StepResult,
} from '../src/ldap/steps.js';

/** An LDAP result error as ldapts raises it: a message ending in the code, and `code`. */
function ldapError(code: number, message: string) {
  return Object.assign(new Error(`${message} Code: 0x${code.toString(16)}`), { code });
}

describe('classifyConnectError', () => {
  it('names the address when nothing listens', () => {
    const f = classifyConnectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), '10.0.0.5:636', 5000);
    expect(f.reason).toBe('unreachable');
    expect(f.message).toContain('connection refused by 10.0.0.5:636');
  });

  it('says the host does not resolve', () => {
    const f = classifyConnectError(Object.assign(new Error('getaddrinfo ENOTFOUND ldap.nowhere'), { code: 'ENOTFOUND' }), 'ldap.nowhere:636', 5000);
    expect(f).toEqual({ reason: 'unreachable', message: 'cannot resolve the host of ldap.nowhere:636' });
  });

  it('reports a timeout with its bound in seconds', () => {
    const f = classifyConnectError(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }), 'ldap:636', 2500);
    expect(f).toEqual({ reason: 'timeout', message: 'no answer from ldap:636 within 2.5s' });
  });

  it('tells a certificate problem apart and names the fix', () => {
    const f = classifyConnectError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'ldap:636', 5000);
    expect(f.reason).toBe('tls');
    expect(f.message).toMatch(/self-signed certificate.*trust the directory's CA with --ca-file <bundle.pem>/);
    expect(classifyConnectError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'ldap:636', 5000, 'the CA bundle ca.pem (and nothing else)').message).toBe(
      'TLS with ldap:636 failed: self-signed certificate (the certificate was checked against the CA bundle ca.pem (and nothing else))',
    );
  });

  it("drops Node 24's --use-system-ca hint: what was trusted is said once, by us", () => {
    const node24 = Object.assign(new Error('self-signed certificate; if the root CA is installed locally, try running Node.js with --use-system-ca'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(classifyConnectError(node24, 'ldap:636', 5000, 'the CA bundle ca.pem (and nothing else)').message).toBe(
      'TLS with ldap:636 failed: self-signed certificate (the certificate was checked against the CA bundle ca.pem (and nothing else))',
    );
  });
});

describe('classifyBindError', () => {
  const dn = 'cn=harbor,ou=services,dc=example,dc=com';

  it('reports invalid credentials for result 49, naming the DN', () => {
    const f = classifyBindError(ldapError(49, 'Invalid credentials during a bind operation.'), dn, 5000);
    expect(f.reason).toBe('invalid-credentials');
    expect(f.message).toBe(`invalid credentials for ${dn}: wrong password or unknown DN (LDAP result 49)`);
  });

  it('asks for ldaps:// when the server requires confidentiality', () => {
    const f = classifyBindError(ldapError(13, 'Confidentiality required.'), dn, 5000);
    expect(f.reason).toBe('bind-refused');
    expect(f.message).toContain('use ldaps://');
  });

  it('reports an operation timeout as a timeout', () => {
    expect(classifyBindError(new Error('BindRequest: Operation timed out'), dn, 3000)).toEqual({
      reason: 'timeout',
      message: 'the server did not answer within 3s',
    });
  });

  it('reports a broken connection as unreachable', () => {
    expect(classifyBindError(new Error('Connection closed before message response was received.'), dn, 3000).reason).toBe('unreachable');
  });
});

describe('classifySearchError', () => {
  it('says the base DN does not exist for result 32', () => {
    const f = classifySearchError(ldapError(32, 'No such object'), 'ou=peple,dc=example,dc=com', '(uid=a)', 5000);
    expect(f.reason).toBe('no-such-base');
    expect(f.message).toContain('ou=peple,dc=example,dc=com does not exist');
  });

  it('reports a denied search for result 50', () => {
    expect(classifySearchError(ldapError(50, 'Insufficient access'), 'dc=x', '(uid=a)', 5000).reason).toBe('access-denied');
  });

  it('reports a filter the client cannot parse', () => {
    const f = classifySearchError(new Error('Unbalanced parens in filter string: (uid=a'), 'dc=x', '(uid=a', 5000);
    expect(f).toEqual({ reason: 'invalid-filter', message: '(uid=a is not a valid LDAP filter: Unbalanced parens in filter string: (uid=a' });
  });

  it('keeps other result codes with their number', () => {
    const f = classifySearchError(ldapError(80, 'Other'), 'dc=x', '(uid=a)', 5000);
    expect(f.reason).toBe('ldap-error');
    expect(f.message).toContain('LDAP result 80: Other');
  });
});

describe('userMatchVerdict', () => {
  const base = 'ou=people,dc=example,dc=com';

  it('accepts exactly one entry', () => {
    expect(userMatchVerdict([`uid=alice,${base}`], 'alice', base, '(&(objectClass=person)(uid=alice))')).toEqual({ dn: `uid=alice,${base}` });
  });

  it('reports an unknown user with the base and filter searched', () => {
    expect(userMatchVerdict([], 'zed', base, '(&(objectClass=person)(uid=zed))')).toEqual({
      reason: 'user-not-found',
      message: `user "zed" not found: no entry under ${base} matches (&(objectClass=person)(uid=zed))`,
    });
  });

  it('names every DN when the filter matches several entries', () => {
    const dns = [`uid=sam,${base}`, `uid=sam,ou=former,${base}`];
    const v = userMatchVerdict(dns, 'sam', base, '(&(objectClass=*)(uid=sam))');
    expect('reason' in v && v.reason).toBe('several-matches');
    expect('reason' in v && v.message).toContain(`2 entries under ${base} match (&(objectClass=*)(uid=sam)): uid=sam,${base}; uid=sam,ou=former,${base};`);
  });

  it('lists ten DNs and counts the rest', () => {
    const dns = Array.from({ length: 13 }, (_, i) => `uid=u,ou=o${i},${base}`);
    const v = userMatchVerdict(dns, 'u', base, '(uid=u)');
    expect('message' in v && v.message).toContain('13 entries');
    expect('message' in v && v.message).toContain(`uid=u,ou=o9,${base}; and 3 more`);
    expect('message' in v && v.message).not.toContain('ou=o10,');
  });
});

describe('DNs and filters as Harbor compares them (src/pkg/ldap, src/core/auth/ldap)', () => {
  it('finds a group under the group base structurally, ignoring case and spaces around separators (UnderBaseDN)', () => {
    expect(underBaseDn('ou=groups,dc=example,dc=com', 'CN=Developers, OU=groups, DC=example, DC=com')).toBe(true);
    expect(underBaseDn('ou=groups,dc=example,dc=com', 'ou=groups,dc=example,dc=com')).toBe(true);
    expect(underBaseDn('ou=groups,dc=example,dc=com', 'cn=vpn,ou=other,dc=example,dc=com')).toBe(false);
    expect(underBaseDn('ou=groups,dc=example,dc=com', 'dc=example,dc=com')).toBe(false);
    expect(underBaseDn('ou=groups,dc=example,dc=com', 'not a dn')).toBe(false);
  });

  it('matches the admin group as a trimmed, lower-cased string only', () => {
    expect(harborSameString(' CN=Harbor-Admins,OU=groups,DC=example,DC=com ', 'cn=harbor-admins,ou=groups,dc=example,dc=com')).toBe(true);
    // Harbor would not grant the admin role here, though both name one entry:
    expect(harborSameString('cn=harbor-admins, ou=groups,dc=example,dc=com', 'cn=harbor-admins,ou=groups,dc=example,dc=com')).toBe(false);
    expect(dnEqual('cn=harbor-admins, ou=groups,dc=example,dc=com', 'cn=harbor-admins,ou=groups,dc=example,dc=com')).toBe(true);
  });

  it('parses escapes and multi-valued RDNs, and refuses what is not a DN', () => {
    expect(parseDn('cn=Smith\\, John+uid=js,dc=example')).toEqual([[{ type: 'cn', value: 'Smith, John' }, { type: 'uid', value: 'js' }], [{ type: 'dc', value: 'example' }]]);
    expect(parseDn('cn=Smith\\2C John,dc=example')).toEqual([[{ type: 'cn', value: 'Smith, John' }], [{ type: 'dc', value: 'example' }]]);
    expect(parseDn('cn=a+uid=b,dc=c')).toEqual([[{ type: 'cn', value: 'a' }, { type: 'uid', value: 'b' }], [{ type: 'dc', value: 'c' }]]);
    expect(dnEqual('uid=b+cn=a,dc=c', 'cn=a+uid=b,dc=c')).toBe(true);
    expect(parseDn('people.example.com')).toBeUndefined();
    expect(parseDn('cn=a,,dc=b')).toBeUndefined();
  });

  it('wraps a filter without parentheses, as normalizeFilter does', () => {
    expect(normalizeFilter(' objectClass=person ')).toBe('(objectClass=person)');
    expect(normalizeFilter('(objectClass=person)')).toBe('(objectClass=person)');
    expect(normalizeFilter('')).toBe('');
  });
});

describe('reports', () => {
  const connect: StepResult = { step: 'connect', status: 'ok', detail: 'connection to h:389', ms: 3.2 };
  const bind: StepResult = { step: 'bind', status: 'failed', reason: 'invalid-credentials', detail: 'invalid credentials for cn=x', ms: 1 };

  it('marks the steps after a failure as skipped, naming the failed step', () => {
    expect(skippedAfter('bind', [connect, bind])).toEqual([
      { step: 'search', status: 'skipped', detail: 'not run: bind failed' },
      { step: 'groups', status: 'skipped', detail: 'not run: bind failed' },
    ]);
  });

  it('takes the verdict from the first failed step', () => {
    const r = buildReport('ldap://h:389', [connect, bind, ...skippedAfter('bind', [connect, bind])]);
    expect(r.ok).toBe(false);
    expect(r.failure).toEqual({ step: 'bind', reason: 'invalid-credentials', message: 'invalid credentials for cn=x' });
  });

  it('prints one line per step and the verdict', () => {
    const text = formatReport(buildReport('ldap://h:389', [connect, bind, ...skippedAfter('bind', [connect, bind])]));
    expect(text.split('\n')).toEqual([
      'LDAP check of ldap://h:389',
      '  ok    connect  connection to h:389 (3 ms)',
      '  FAIL  bind     invalid credentials for cn=x (1 ms)',
      '  skip  search   not run: bind failed',
      '  skip  groups   not run: bind failed',
      'result: failed at bind: invalid-credentials',
    ]);
  });

  it('is ok when no step failed', () => {
    const r = buildReport('ldap://h:389', [connect], { uid: 'a', dn: 'uid=a', groups: [] });
    expect(r).toMatchObject({ version: 1, ok: true, user: { uid: 'a' } });
    expect(r.failure).toBeUndefined();
  });
});
