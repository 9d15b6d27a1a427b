/**
 * ldap-check against the real slapd of the local stack: a real user with groups through
 * memberOf, and the precise reason for each way it goes wrong.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli.js';
import type { LdapCheckReport } from '../../src/ldap/report.js';
import { ensureStack, REPO_ROOT, type LocalStackEnv } from '../support/local-stack.js';

const PASSWORD_VAR = 'LDAP_CHECK_IT_PASSWORD';
let env: LocalStackEnv;
let tmp: string;

beforeAll(async () => {
  env = await ensureStack();
  tmp = mkdtempSync(join(tmpdir(), 'ldap-check-'));
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
    expect(report.steps[0].detail).toBe(`TLS connection to ${new URL(env.ldap.ldapsUrl).host}`);
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
});
