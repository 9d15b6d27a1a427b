import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * Harbor's user settings (what `core.configureUserSettings` would carry and Harbor
 * reads from `CONFIG_OVERWRITE_JSON` at start-up), derived from the config.
 * Everything but the LDAP bind password; `harborUserSettingsTemplate` adds it.
 */
export interface HarborUserSettings {
  readonly auth_mode: 'ldap_auth';
  readonly ldap_url: string;
  readonly ldap_base_dn: string;
  readonly ldap_search_dn?: string;
  readonly ldap_filter: string;
  readonly ldap_uid: string;
  /** 0 base, 1 one level, 2 subtree (Harbor's numbering). */
  readonly ldap_scope: 0 | 1 | 2;
  readonly ldap_timeout: number;
  readonly ldap_verify_cert: boolean;
  readonly ldap_group_base_dn?: string;
  readonly ldap_group_search_filter?: string;
  readonly ldap_group_attribute_name?: string;
  readonly ldap_group_admin_dn?: string;
  readonly ldap_group_membership_attribute?: string;
  readonly ldap_group_search_scope?: 0 | 1 | 2;
}

const SCOPES = { base: 0, onelevel: 1, subtree: 2 } as const;

export function harborUserSettings(config: EnvironmentConfig): HarborUserSettings {
  const l = config.ldap;
  return {
    auth_mode: 'ldap_auth',
    ldap_url: l.url,
    ldap_base_dn: l.baseDn,
    ...(l.anonymousSearch ? {} : { ldap_search_dn: l.searchDn }),
    ldap_filter: l.filter,
    ldap_uid: l.uidAttribute,
    ldap_scope: SCOPES[l.scope],
    ldap_timeout: l.timeoutSeconds,
    ldap_verify_cert: l.verifyCertificate,
    ...(l.groups
      ? {
        ldap_group_base_dn: l.groups.baseDn,
        ldap_group_search_filter: l.groups.filter,
        ldap_group_attribute_name: l.groups.nameAttribute,
        ...(l.groups.adminDn ? { ldap_group_admin_dn: l.groups.adminDn } : {}),
        ldap_group_membership_attribute: l.groups.membershipAttribute,
        ldap_group_search_scope: SCOPES[l.groups.scope],
      }
      : {}),
  };
}

/** Name of the template variable that carries the bind password in the ExternalSecret. */
export const LDAP_BIND_PASSWORD_VARIABLE = 'ldapSearchPassword';

/**
 * The `CONFIG_OVERWRITE_JSON` value as an External Secrets template: the settings
 * above as JSON, plus `ldap_search_password` filled in the cluster from the secret
 * (`toJson` quotes and escapes it, so any character in the password stays valid JSON).
 * With anonymous search there is no password to add.
 */
export function harborUserSettingsTemplate(config: EnvironmentConfig): string {
  const json = JSON.stringify(harborUserSettings(config));
  // Go templates would read "{{" in a setting as an action; no LDAP setting needs it.
  if (json.includes('{{')) throw new Error('ldap: a setting contains "{{", which the External Secrets template would evaluate: remove it');
  if (config.ldap.anonymousSearch || !config.ldap.bindPasswordSecret) return json;
  return `${json.slice(0, -1)},"ldap_search_password":{{ .${LDAP_BIND_PASSWORD_VARIABLE} | toJson }}}`;
}
