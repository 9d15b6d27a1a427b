import { describe, expect, it } from 'vitest';
import { loadConfig } from './support/fakes.js';
import { bindPassword, DEFAULT_PASSWORD_ENV, LDAP_DEFAULTS, settingsFromOptions } from '../src/ldap/settings.js';

const base = { url: 'ldaps://ldap.example.com:636', baseDn: 'ou=people,dc=example,dc=com' };

describe('settingsFromOptions', () => {
  it("fills what is not given with the config schema's defaults", () => {
    const r = settingsFromOptions({ ...base, searchDn: 'cn=harbor,dc=example,dc=com' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings).toMatchObject({
      ...base,
      searchDn: 'cn=harbor,dc=example,dc=com',
      anonymousSearch: false,
      filter: LDAP_DEFAULTS.filter,
      uidAttribute: LDAP_DEFAULTS.uidAttribute,
      scope: LDAP_DEFAULTS.scope,
      timeoutSeconds: LDAP_DEFAULTS.timeoutSeconds,
      verifyCertificate: true,
    });
    expect(r.settings.groups).toBeUndefined();
  });

  it('searches anonymously without a search DN', () => {
    const r = settingsFromOptions(base);
    expect(r.ok && r.settings.anonymousSearch).toBe(true);
  });

  it('turns on the groups step with a group base DN and keeps the group defaults', () => {
    const r = settingsFromOptions({ ...base, groupBaseDn: 'ou=groups,dc=example,dc=com', groupAdminDn: 'cn=admins,ou=groups,dc=example,dc=com' });
    expect(r.ok && r.settings.groups).toEqual({
      ...LDAP_DEFAULTS.groups,
      baseDn: 'ou=groups,dc=example,dc=com',
      adminDn: 'cn=admins,ou=groups,dc=example,dc=com',
    });
  });

  it('names the missing options', () => {
    expect(settingsFromOptions({})).toEqual({
      ok: false,
      problems: ['--url is required (or give --env <name>)', '--base-dn is required (or give --env <name>)'],
    });
  });

  it('refuses group options without a group base DN', () => {
    const r = settingsFromOptions({ ...base, groupFilter: '(objectClass=group)' });
    expect(r).toEqual({ ok: false, problems: ['--group-filter need --group-base-dn'] });
  });

  it('names the option of a value the schema refuses', () => {
    const r = settingsFromOptions({ ...base, scope: 'everything', uidAttribute: 'u id' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(2);
    expect(r.problems.find((p) => p.startsWith('--scope: '))).toMatch(/subtree/);
    expect(r.problems.find((p) => p.startsWith('--uid-attribute: '))).toContain('is not an LDAP attribute name');
  });

  it('turns certificate checks off only when asked', () => {
    const r = settingsFromOptions({ ...base, verifyCertificate: false });
    expect(r.ok && r.settings.verifyCertificate).toBe(false);
  });
});

describe('bindPassword', () => {
  const settings = loadConfig('dev').ldap;

  it('reads the password from the named variable', () => {
    expect(bindPassword(settings, { MY_PW: 's3cr3t-from-env' }, 'MY_PW')).toEqual({ password: 's3cr3t-from-env' });
  });

  it('names the variable and the account when the password is missing', () => {
    const r = bindPassword(settings, {}, DEFAULT_PASSWORD_ENV);
    expect(r.problem).toBe(`set ${DEFAULT_PASSWORD_ENV} to the password of ${settings.searchDn} (it is never read from an argument)`);
  });

  it('needs no password for an anonymous search', () => {
    expect(bindPassword({ ...settings, searchDn: undefined, anonymousSearch: true }, {}, DEFAULT_PASSWORD_ENV)).toEqual({});
  });
});
