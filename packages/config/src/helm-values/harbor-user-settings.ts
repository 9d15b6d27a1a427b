import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * Every Harbor setting the platform owns, as Harbor names them in `CONFIG_OVERWRITE_JSON`
 * (the settings of Harbor's configurations API), derived from the config; everything but
 * the LDAP bind password, which `harborUserSettingsTemplate` adds in the cluster.
 *
 * Harbor's core writes these into its database at every start and from then on refuses
 * every change of every setting through its API and UI ("current config is init by env
 * variable: CONFIG_OVERWRITE_JSON", src/controller/config/controller.go), owned or not.
 * It only writes the keys it is given, so a key left out keeps whatever the database
 * holds, for good: each owned key is therefore always written, empty when unused, so that
 * removing e.g. `ldap.groups` from the config really clears Harbor's group settings.
 * Settings not listed here stay at Harbor's defaults (or what was set before the first
 * deploy) and cannot be changed while the platform runs Harbor.
 * @see https://goharbor.io/docs/2.13.0/install-config/configure-user-settings-cli/
 */
export interface HarborUserSettings {
  readonly auth_mode: 'ldap_auth';
  /** Users come from the directory; nobody signs up (only used with database auth, kept off on purpose). */
  readonly self_registration: false;
  /** Written false so that a start never leaves Harbor in a read-only mode set by hand before: it could not be unset through the API. */
  readonly read_only: false;
  readonly ldap_url: string;
  readonly ldap_base_dn: string;
  /** Empty with anonymous search. */
  readonly ldap_search_dn: string;
  readonly ldap_filter: string;
  readonly ldap_uid: string;
  /** 0 base, 1 one level, 2 subtree (Harbor's numbering). */
  readonly ldap_scope: 0 | 1 | 2;
  readonly ldap_timeout: number;
  readonly ldap_verify_cert: boolean;
  /** Group settings: empty (scope 2, Harbor's default) without `ldap.groups`. */
  readonly ldap_group_base_dn: string;
  readonly ldap_group_search_filter: string;
  readonly ldap_group_attribute_name: string;
  readonly ldap_group_admin_dn: string;
  readonly ldap_group_membership_attribute: string;
  readonly ldap_group_search_scope: 0 | 1 | 2;
}

const SCOPES = { base: 0, onelevel: 1, subtree: 2 } as const;

export function harborUserSettings(config: Pick<EnvironmentConfig, 'ldap'>): HarborUserSettings {
  const l = config.ldap;
  const g = l.groups;
  return {
    auth_mode: 'ldap_auth',
    self_registration: false,
    read_only: false,
    ldap_url: l.url,
    ldap_base_dn: l.baseDn,
    ldap_search_dn: l.anonymousSearch ? '' : (l.searchDn ?? ''),
    ldap_filter: l.filter,
    ldap_uid: l.uidAttribute,
    ldap_scope: SCOPES[l.scope],
    ldap_timeout: l.timeoutSeconds,
    ldap_verify_cert: l.verifyCertificate,
    ldap_group_base_dn: g?.baseDn ?? '',
    ldap_group_search_filter: g?.filter ?? '',
    ldap_group_attribute_name: g?.nameAttribute ?? '',
    ldap_group_admin_dn: g?.adminDn ?? '',
    // Harbor's default; it only matters with groups.
    ldap_group_membership_attribute: g?.membershipAttribute ?? 'memberof',
    ldap_group_search_scope: SCOPES[g?.scope ?? 'subtree'],
  };
}

/**
 * SHA-256 (hex) of the settings above: the value of the core pod template's
 * HARBOR_SETTINGS_CHECKSUM_ANNOTATION, so that a change of a setting in the config rolls
 * core, which applies `CONFIG_OVERWRITE_JSON` only at start. The bind password is not in it
 * (it never reaches the chart's values); its rotation restarts core through
 * HARBOR_SETTINGS_RELOAD_ANNOTATION.
 */
export function harborUserSettingsChecksum(config: Pick<EnvironmentConfig, 'ldap'>): string {
  return createHash('sha256').update(JSON.stringify(harborUserSettings(config))).digest('hex');
}

/** Core pod template annotation carrying `harborUserSettingsChecksum`. */
export const HARBOR_SETTINGS_CHECKSUM_ANNOTATION = 'harbor-platform.io/user-settings-sha256';

/**
 * Core pod template annotation carrying the SHA-256 of the rendered `CONFIG_OVERWRITE_JSON`
 * (bind password included) that core last started with. The `harbor-settings-reload`
 * CronJob sets it when External Secrets has synced another value (a rotated bind
 * password), which rolls core; Helm leaves it alone (the chart never renders it).
 */
export const HARBOR_SETTINGS_RELOAD_ANNOTATION = 'harbor-platform.io/user-settings-secret-sha256';

/** Name of the template variable that carries the bind password in the ExternalSecret. */
export const LDAP_BIND_PASSWORD_VARIABLE = 'ldapSearchPassword';

/**
 * The `CONFIG_OVERWRITE_JSON` value as an External Secrets template: the settings
 * above as JSON, plus `ldap_search_password` filled in the cluster from the secret
 * (`toJson` quotes and escapes it, so any character in the password stays valid JSON).
 * With anonymous search the password is written empty, clearing one set before.
 */
export function harborUserSettingsTemplate(config: Pick<EnvironmentConfig, 'ldap'>): string {
  const json = JSON.stringify(harborUserSettings(config));
  // Go templates would read "{{" in a setting as an action; no LDAP setting needs it.
  if (json.includes('{{')) throw new ConfigError('ldap: a setting contains "{{", which the External Secrets template would evaluate: remove it');
  const password = config.ldap.anonymousSearch || !config.ldap.bindPasswordSecret ? '""' : `{{ .${LDAP_BIND_PASSWORD_VARIABLE} | toJson }}`;
  return `${json.slice(0, -1)},"ldap_search_password":${password}}`;
}
