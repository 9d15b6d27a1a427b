/**
 * The LDAP settings a check runs with: the environment config's `ldap` section, or the same
 * fields given as command-line options. Both go through the config schema, so the defaults
 * (filter, uid attribute, scope, timeout, group settings) are declared once, in packages/config.
 */
import { environmentSchema, type EnvironmentConfig } from '@harbor-platform/config';

export type LdapSettings = EnvironmentConfig['ldap'];

/** The schema's defaults (for --help), read from the schema itself. */
export const LDAP_DEFAULTS = environmentSchema.shape.ldap.parse({ url: 'ldap://defaults:389', baseDn: 'dc=defaults', groups: { baseDn: 'dc=defaults' } });

/** The environment variable holding the search account's password when --password-env is not given. */
export const DEFAULT_PASSWORD_ENV = 'HARBOR_PLATFORM_LDAP_PASSWORD';

/** Command-line options of ldap-check that describe a directory (all strings as parsed). */
export interface LdapOptions {
  readonly url?: string;
  readonly baseDn?: string;
  readonly searchDn?: string;
  readonly filter?: string;
  readonly uidAttribute?: string;
  readonly scope?: string;
  readonly timeoutSeconds?: number;
  readonly verifyCertificate?: boolean;
  readonly groupBaseDn?: string;
  readonly groupFilter?: string;
  readonly groupNameAttribute?: string;
  readonly groupMembershipAttribute?: string;
  readonly groupAdminDn?: string;
}

/** Schema field path -> the option that sets it, to name the option in a problem. */
const OPTION_OF: Record<string, string> = {
  'url': '--url',
  'baseDn': '--base-dn',
  'searchDn': '--search-dn',
  'filter': '--filter',
  'uidAttribute': '--uid-attribute',
  'scope': '--scope',
  'timeoutSeconds': '--timeout',
  'verifyCertificate': '--no-verify-certificate',
  'groups.baseDn': '--group-base-dn',
  'groups.filter': '--group-filter',
  'groups.nameAttribute': '--group-name-attribute',
  'groups.membershipAttribute': '--group-membership-attribute',
  'groups.adminDn': '--group-admin-dn',
};

export type SettingsResult = { ok: true; settings: LdapSettings } | { ok: false; problems: string[] };

/** Builds settings from options; a problem names the option, e.g. `--scope: Invalid option: ...`. */
export function settingsFromOptions(o: LdapOptions): SettingsResult {
  const problems: string[] = [];
  if (!o.url) problems.push('--url is required (or give --env <name>)');
  if (!o.baseDn) problems.push('--base-dn is required (or give --env <name>)');
  const groupOnly = [o.groupFilter && '--group-filter', o.groupNameAttribute && '--group-name-attribute', o.groupMembershipAttribute && '--group-membership-attribute', o.groupAdminDn && '--group-admin-dn'].filter(Boolean);
  if (!o.groupBaseDn && groupOnly.length) problems.push(`${groupOnly.join(', ')} need --group-base-dn`);
  if (problems.length) return { ok: false, problems };

  const input = {
    url: o.url,
    baseDn: o.baseDn,
    // Without a search account Harbor searches anonymously; so does the check.
    anonymousSearch: !o.searchDn,
    searchDn: o.searchDn,
    filter: o.filter,
    uidAttribute: o.uidAttribute,
    scope: o.scope,
    timeoutSeconds: o.timeoutSeconds,
    verifyCertificate: o.verifyCertificate,
    groups: o.groupBaseDn
      ? {
        baseDn: o.groupBaseDn,
        filter: o.groupFilter,
        nameAttribute: o.groupNameAttribute,
        membershipAttribute: o.groupMembershipAttribute,
        adminDn: o.groupAdminDn,
      }
      : undefined,
  };
  const parsed = environmentSchema.shape.ldap.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const path = i.path.join('.');
        return `${OPTION_OF[path] ?? path}: ${i.message}`;
      }),
    };
  }
  return { ok: true, settings: parsed.data };
}

/**
 * The search account's password from the environment variable `varName`; undefined for an
 * anonymous search. A missing or empty variable is a problem naming it.
 */
export function bindPassword(settings: LdapSettings, env: NodeJS.ProcessEnv, varName: string): { password?: string; problem?: string } {
  if (!settings.searchDn) return {};
  const password = env[varName];
  if (!password) return { problem: `set ${varName} to the password of ${settings.searchDn} (it is never read from an argument)` };
  return { password };
}
