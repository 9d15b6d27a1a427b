import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

const DN = /^([A-Za-z][\w-]*|\d+(\.\d+)*)=[^,]+(,\s*([A-Za-z][\w-]*|\d+(\.\d+)*)=[^,]+)*$/;

export function checkLdap(c: EnvironmentConfig, problems: Problem[], warnings: Warning[]): void {
  const l = c.ldap;
  let url: URL | undefined;
  try {
    url = new URL(l.url);
  } catch {
    problems.push({ path: 'ldap.url', message: `"${l.url}" is not an absolute URL`, fix: 'write it as ldaps://ldap.example.com:636' });
  }
  const scheme = /^([^:]*):/.exec(l.url)?.[1] ?? '';
  if (url && (url.protocol === 'ldap:' || url.protocol === 'ldaps:') && scheme !== scheme.toLowerCase()) {
    // Harbor matches the scheme as written, in lower case (src/pkg/ldap/ldap.go formatURL): "LDAPS://" is "unknown ldap protocol".
    problems.push({ path: 'ldap.url', message: `scheme "${scheme}" is not lower case: Harbor compares it as written and refuses it as an unknown LDAP protocol`, fix: `write ${scheme.toLowerCase()}${l.url.slice(scheme.length)}` });
  }
  if (url && url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') {
    problems.push({ path: 'ldap.url', message: `scheme "${url.protocol.slice(0, -1)}" is not LDAP`, fix: 'use ldaps:// (ldap:// is plain text: Harbor does not use StartTLS)' });
  }
  // Harbor dials TLS for ldaps:// and for port 636 whatever the scheme (src/pkg/ldap/ldap.go formatURL); it has no StartTLS.
  const tls = url !== undefined && (url.protocol === 'ldaps:' || url.port === '636');
  if (url?.protocol === 'ldap:' && !tls) {
    // Harbor has no StartTLS setting, so nothing can make plain ldap:// safe: refused in prod, a warning in dev.
    if (c.stage === 'prod') {
      problems.push({
        path: 'ldap.url',
        message: `"${l.url}" is plain LDAP in prod: the search password and every user's password cross the network in clear text (Harbor does not use StartTLS)`,
        fix: `use ldaps://${url.hostname}:636`,
      });
    } else {
      warnings.push({ path: 'ldap.url', message: 'binds over plain ldap://: the search password crosses the network in clear text (allowed outside prod)' });
    }
  }
  if (l.caBundleSecret !== undefined && url && !tls) {
    problems.push({
      path: 'ldap.caBundleSecret',
      message: `"${l.url}" is plain LDAP (Harbor does not use StartTLS), so no certificate is checked and the bundle would never be used`,
      fix: 'use an ldaps:// URL, or remove caBundleSecret',
    });
  } else if (l.caBundleSecret !== undefined && !l.verifyCertificate) {
    problems.push({
      path: 'ldap.caBundleSecret',
      message: 'is set while verifyCertificate is false, so Harbor accepts any certificate and the bundle changes nothing',
      fix: 'set verifyCertificate: true (the bundle is how a private CA is trusted), or remove caBundleSecret',
    });
  }
  if (!l.verifyCertificate && c.stage === 'prod') {
    problems.push({ path: 'ldap.verifyCertificate', message: 'is off in prod, so any server can impersonate the directory', fix: 'set verifyCertificate: true, and name the directory\'s CA bundle in caBundleSecret when a private CA issued its certificate' });
  }
  const dns: [string, string | undefined][] = [
    ['ldap.baseDn', l.baseDn],
    ['ldap.searchDn', l.searchDn],
    ['ldap.groups.baseDn', l.groups?.baseDn],
    ['ldap.groups.adminDn', l.groups?.adminDn],
  ];
  for (const [path, dn] of dns) {
    if (dn !== undefined && !DN.test(dn)) {
      problems.push({ path, message: `"${dn}" is not a distinguished name`, fix: 'write it as attribute=value pairs joined by commas, such as "ou=people,dc=example,dc=com"' });
    }
  }
  for (const [path, filter] of [['ldap.filter', l.filter], ['ldap.groups.filter', l.groups?.filter]] as const) {
    if (filter !== undefined && !balancedFilter(filter)) {
      problems.push({ path, message: `"${filter}" is not an LDAP filter`, fix: 'wrap it in balanced parentheses, such as "(objectClass=person)"' });
    }
  }
  if (!l.anonymousSearch) {
    if (!l.searchDn) problems.push({ path: 'ldap.searchDn', message: 'is required when anonymousSearch is off', fix: 'name the search account, such as "cn=harbor,ou=services,dc=example,dc=com", or set anonymousSearch: true' });
    if (!l.bindPasswordSecret) problems.push({ path: 'ldap.bindPasswordSecret', message: 'is required when anonymousSearch is off', fix: 'name the Secrets Manager secret holding the search account password' });
  }
}

function balancedFilter(f: string): boolean {
  if (!f.startsWith('(') || !f.endsWith(')')) return false;
  let depth = 0;
  for (const ch of f) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
