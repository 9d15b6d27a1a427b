/**
 * ldap-check against the real slapd of the local stack: a real user with groups through
 * memberOf, the precise reason for each way it goes wrong, ldaps:// through the directory's
 * own CA bundle, and the judgments Harbor makes (membership attribute, admin DN, scopes).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli.js';
import type { LdapCheckReport } from '../../src/ldap/report.js';
import { ensureStack, REPO_ROOT, type LocalStackEnv } from '../support/local-stack.js';

const PASSWORD_VAR = 'LDAP_CHECK_IT_PASSWORD';
let env: LocalStackEnv;
let tmp: string;
/** A CA that did not issue slapd's certificate (made here with openssl, as any other CA). */
let otherCa: string;

beforeAll(async () => {
  env = await ensureStack();
  tmp = mkdtempSync(join(tmpdir(), 'ldap-check-'));
  otherCa = join(tmp, 'other-ca.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=another company CA', '-keyout', join(tmp, 'other-ca.key'), '-out', otherCa]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  delete process.env[PASSWORD_VAR];
});

/** The directory options of the stack, with the search password in the environment only. */
function directory(password = env.ldap.searchPassword): string[] {
  process.env[PASSWORD_VAR] = password;
  return [
    '--url', env.ldap.url,
    '--base-dn', env.ldap.userBaseDn,
    '--search-dn', env.ldap.searchDn,
    '--password-env', PASSWORD_VAR,
    '--filter', env.ldap.filter,
    '--group-base-dn', env.ldap.groupBaseDn,
    '--group-admin-dn', env.ldap.adminGroupDn,
  ];
}

async function check(args: string[]): Promise<{ code: number; report: LdapCheckReport; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['ldap-check', ...args, '--json'], { out: (t) => out.push(t), err: (t) => err.push(t) });
  if (!out.length) throw new Error(`ldap-check printed no report (exit ${code}): ${err.join('\n')}`);
  return { code, report: JSON.parse(out.join('')) as LdapCheckReport, err: err.join('\n') };
}

describe('ldap-check against slapd', () => {
  it('passes every step for a real user and resolves her groups through memberOf', async () => {
    const { code, report } = await check([...directory(), '--user', 'alice']);
    expect(code).toBe(0);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([['connect', 'ok'], ['bind', 'ok'], ['search', 'ok'], ['groups', 'ok']]);
    expect(report.user).toEqual({
      uid: 'alice',
      dn: `uid=alice,${env.ldap.userBaseDn}`,
      groups: expect.arrayContaining(['harbor-admins', 'developers']),
      admin: true,
    });
    expect(report.user!.groups).toHaveLength(2);
  });

  it('tells a member of another group from an admin', async () => {
    const { code, report } = await check([...directory(), '--user', 'bob']);
    expect(code).toBe(0);
    expect(report.user).toMatchObject({ groups: ['developers'], admin: false });
  });

  it('fails the bind with invalid credentials for a wrong password', async () => {
    const { code, report, err } = await check([...directory('not-the-password'), '--user', 'alice']);
    expect(code).toBe(1);
    expect(report.failure).toEqual({
      step: 'bind',
      reason: 'invalid-credentials',
      message: `invalid credentials for ${env.ldap.searchDn}: wrong password or unknown DN (LDAP result 49)`,
    });
    expect(report.steps.map((s) => s.status)).toEqual(['ok', 'failed', 'skipped', 'skipped']);
    expect(err).toContain('ldap-check: invalid-credentials:');
  });

  it('reports an unknown user as not found, with the filter it searched', async () => {
    const { code, report } = await check([...directory(), '--user', 'mallory']);
    expect(code).toBe(1);
    expect(report.failure).toEqual({
      step: 'search',
      reason: 'user-not-found',
      message: `user "mallory" not found: no entry under ${env.ldap.userBaseDn} matches (&${env.ldap.filter}(uid=mallory))`,
    });
  });

  it('names both entries when a loose filter matches two for one uid', async () => {
    const uid = env.ldap.duplicateUid;
    const args = directory();
    args[args.indexOf('--filter') + 1] = env.ldap.looseFilter;
    const { code, report } = await check([...args, '--user', uid]);
    expect(code).toBe(1);
    expect(report.failure).toMatchObject({ step: 'search', reason: 'several-matches' });
    expect(report.failure!.message).toContain(`2 entries under ${env.ldap.userBaseDn}`);
    expect(report.failure!.message).toContain(`uid=${uid},${env.ldap.userBaseDn}`);
    expect(report.failure!.message).toContain(`uid=${uid},ou=former,${env.ldap.userBaseDn}`);
  });

  it('finds the same uid once with the strict filter', async () => {
    const { code, report } = await check([...directory(), '--user', env.ldap.duplicateUid]);
    expect(code).toBe(0);
    expect(report.user).toMatchObject({ dn: `uid=${env.ldap.duplicateUid},${env.ldap.userBaseDn}`, groups: [], admin: false });
  });

  it('reports a base DN that does not exist', async () => {
    const args = directory();
    args[args.indexOf('--base-dn') + 1] = `ou=nobody,${env.ldap.baseDn}`;
    const { code, report } = await check([...args, '--user', 'alice']);
    expect(code).toBe(1);
    expect(report.failure).toMatchObject({ step: 'search', reason: 'no-such-base' });
  });

  it('refuses the self-signed certificate of ldaps:// while verification is on', async () => {
    const args = directory();
    args[args.indexOf('--url') + 1] = env.ldap.ldapsUrl;
    const { code, report } = await check([...args, '--user', 'alice']);
    expect(code).toBe(1);
    expect(report.failure).toMatchObject({ step: 'connect', reason: 'tls' });
    expect(report.failure!.message).toContain(`TLS with ${new URL(env.ldap.ldapsUrl).host} failed: self-signed certificate`);
  });

  it('passes over ldaps:// with --no-verify-certificate', async () => {
    const args = directory();
    args[args.indexOf('--url') + 1] = env.ldap.ldapsUrl;
    const { code, report } = await check([...args, '--no-verify-certificate', '--user', 'alice']);
    expect(code).toBe(0);
    expect(report.steps[0].detail).toBe(`TLS connection to ${new URL(env.ldap.ldapsUrl).host} (certificate not checked)`);
    expect(report.user).toMatchObject({ dn: `uid=alice,${env.ldap.userBaseDn}`, admin: true });
  });

  it("checks an environment file's ldap section, the password from HARBOR_PLATFORM_LDAP_PASSWORD", async () => {
    const dev = parse(readFileSync(join(REPO_ROOT, 'environments/dev.yaml'), 'utf8'));
    dev.ldap = { ...dev.ldap, url: env.ldap.url, baseDn: env.ldap.userBaseDn, searchDn: env.ldap.searchDn, filter: env.ldap.filter };
    dev.ldap.groups = { ...dev.ldap.groups, baseDn: env.ldap.groupBaseDn, adminDn: env.ldap.adminGroupDn };
    // The loader wants the file named after the environment.
    const file = join(tmp, 'dev.yaml');
    writeFileSync(file, stringify(dev));
    process.env.HARBOR_PLATFORM_LDAP_PASSWORD = env.ldap.searchPassword;
    try {
      const { code, report } = await check(['--config', file, '--user', 'alice']);
      expect(code).toBe(0);
      expect(report).toMatchObject({ url: env.ldap.url, ok: true, user: { uid: 'alice', admin: true } });
    } finally {
      delete process.env.HARBOR_PLATFORM_LDAP_PASSWORD;
    }
  });

  /** The directory options, over ldaps:// (the stack's self-signed certificate, its own CA). */
  function overTls(): string[] {
    const args = directory();
    args[args.indexOf('--url') + 1] = env.ldap.ldapsUrl;
    return args;
  }
  const tlsHost = () => new URL(env.ldap.ldapsUrl).host;

  it("passes over ldaps:// trusting exactly the directory's CA bundle", async () => {
    const { code, report } = await check([...overTls(), '--ca-file', env.ldap.caFile, '--user', 'alice']);
    expect(code).toBe(0);
    expect(report.steps[0]!.detail).toBe(`TLS connection to ${tlsHost()} (certificate checked against ${env.ldap.caFile} only)`);
    expect(report.user).toMatchObject({ dn: `uid=alice,${env.ldap.userBaseDn}`, admin: true });
  });

  it('refuses the directory with a bundle of another CA', async () => {
    const { code, report } = await check([...overTls(), '--ca-file', otherCa, '--user', 'alice']);
    expect(code).toBe(1);
    expect(report.failure).toEqual({
      step: 'connect',
      reason: 'tls',
      message: `TLS with ${tlsHost()} failed: self-signed certificate (the certificate was checked against the CA bundle ${otherCa} (and nothing else))`,
    });
  });

  it('trusts only the bundle, not the system store plus it', async () => {
    // NODE_EXTRA_CA_CERTS adds slapd's CA to the process's system store (read at start, so a process).
    const bin = join(REPO_ROOT, 'packages/ops/bin/harbor-platform.js');
    const run = (extra: string[]) =>
      promisify(execFile)(process.execPath, [bin, 'ldap-check', ...overTls(), ...extra, '--user', 'alice', '--json'], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: env.ldap.caFile, [PASSWORD_VAR]: env.ldap.searchPassword },
      }).then(
        (r) => ({ code: 0, report: JSON.parse(r.stdout) as LdapCheckReport }),
        (e: { code: number; stdout: string }) => ({ code: e.code, report: JSON.parse(e.stdout) as LdapCheckReport }),
      );
    const systemStore = await run([]);
    expect(systemStore.code).toBe(0);
    const onlyOther = await run(['--ca-file', otherCa]);
    expect(onlyOther.code).toBe(1);
    expect(onlyOther.report.failure).toMatchObject({ step: 'connect', reason: 'tls' });
  });

  /** dev.yaml pointed at the stack over ldaps://, naming a CA bundle secret (the bundle itself is in Secrets Manager). */
  function tlsConfigFile(): string {
    const dev = parse(readFileSync(join(REPO_ROOT, 'environments/dev.yaml'), 'utf8'));
    dev.ldap = { ...dev.ldap, url: env.ldap.ldapsUrl, baseDn: env.ldap.userBaseDn, searchDn: env.ldap.searchDn, filter: env.ldap.filter, caBundleSecret: 'harbor-platform/dev/ldap-ca' };
    dev.ldap.groups = { ...dev.ldap.groups, baseDn: env.ldap.groupBaseDn, adminDn: env.ldap.adminGroupDn };
    const dir = mkdtempSync(join(tmp, 'config-'));
    const file = join(dir, 'dev.yaml');
    writeFileSync(file, stringify(dev));
    return file;
  }

  it("checks an environment's ldaps:// directory with the bundle its caBundleSecret holds", async () => {
    process.env.HARBOR_PLATFORM_LDAP_PASSWORD = env.ldap.searchPassword;
    try {
      const file = tlsConfigFile();
      const withBundle = await check(['--config', file, '--ca-file', env.ldap.caFile, '--user', 'alice']);
      expect(withBundle.code).toBe(0);
      expect(withBundle.report).toMatchObject({ url: env.ldap.ldapsUrl, ok: true, user: { uid: 'alice', admin: true } });
      const without = await check(['--config', file, '--user', 'alice']);
      expect(without.code).toBe(1);
      expect(without.report.failure).toEqual({
        step: 'connect',
        reason: 'tls',
        message: `TLS with ${tlsHost()} failed: self-signed certificate (the certificate was checked against the system CAs, not the config's bundle in Secrets Manager secret harbor-platform/dev/ldap-ca: pass that bundle with --ca-file)`,
      });
    } finally {
      delete process.env.HARBOR_PLATFORM_LDAP_PASSWORD;
    }
  });

  it('fails, naming the attribute, when the membership attribute is not on the user entry but groups list the user', async () => {
    const { code, report, err } = await check([...directory(), '--group-membership-attribute', 'isMemberOf', '--user', 'alice']);
    expect(code).toBe(1);
    expect(report.failure).toEqual({
      step: 'groups',
      reason: 'membership-attribute-missing',
      message:
        `alice's entry has no isMemberOf attribute, but 2 group(s) under ${env.ldap.groupBaseDn} list the user (${report.failure!.message.match(/\((cn=[^)]*)\)/)![1]}): ` +
        'Harbor reads groups only from isMemberOf on the user entry, so it would grant none of them, nor the admin role: ' +
        'set groups.membershipAttribute (--group-membership-attribute) to the attribute your directory keeps on user entries ' +
        '(memberOf with the OpenLDAP memberof overlay, Active Directory or 389 Directory Server), or have the directory maintain isMemberOf',
    });
    expect(report.failure!.message).toContain(env.ldap.adminGroupDn);
    expect(report.failure!.message).toContain(`cn=developers,${env.ldap.groupBaseDn}`);
    expect(err).toContain('ldap-check: membership-attribute-missing:');
  });

  it('passes a user no group lists with that same attribute (nothing to miss)', async () => {
    const { code, report } = await check([...directory(), '--group-membership-attribute', 'isMemberOf', '--user', 'carol']);
    expect(code).toBe(0);
    expect(report.user).toMatchObject({ uid: 'carol', groups: [], admin: false });
  });

  it('fails when the admin DN names the group but not as the string Harbor compares', async () => {
    const spaced = env.ldap.adminGroupDn.replace(/,/g, ', ');
    const args = directory();
    args[args.indexOf('--group-admin-dn') + 1] = spaced;
    const { code, report } = await check([...args, '--user', 'alice']);
    expect(code).toBe(1);
    expect(report.failure).toEqual({
      step: 'groups',
      reason: 'admin-dn-mismatch',
      message:
        `groups.adminDn "${spaced}" names the same entry as alice's memberof value "${env.ldap.adminGroupDn}", but Harbor compares them as trimmed, ` +
        `lower-cased strings, so it would not grant the admin role: write groups.adminDn exactly as the directory does, "${env.ldap.adminGroupDn}"`,
    });
    // Upper case is fine: Harbor lower-cases both.
    args[args.indexOf('--group-admin-dn') + 1] = env.ldap.adminGroupDn.toUpperCase();
    expect((await check([...args, '--user', 'alice'])).report.user).toMatchObject({ admin: true });
  });

  it('looks groups up with the user search scope, as Harbor does: onelevel never finds the group entry', async () => {
    const { code, report } = await check([...directory(), '--scope', 'onelevel', '--user', 'alice']);
    expect(code).toBe(0);
    // The admin role is a string match on memberOf; the groups themselves are looked up and missed.
    expect(report.user).toMatchObject({ groups: [], admin: true });
    expect(report.steps[3]!.detail).toContain('2 memberof value(s) Harbor ignores');
  });

  it('wraps a filter written without parentheses, as Harbor does', async () => {
    const args = directory();
    args[args.indexOf('--filter') + 1] = env.ldap.filter.slice(1, -1);
    const { code, report } = await check([...args, '--user', 'alice']);
    expect(code).toBe(0);
    expect(report.steps[2]!.detail).toContain(`(filter (&${env.ldap.filter}(uid=alice)))`);
  });
});
