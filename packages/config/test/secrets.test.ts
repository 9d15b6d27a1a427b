import { describe, expect, it } from 'vitest';
import { loadWith } from './util.js';
import { preexistingSecrets, type EnvironmentConfig } from '../src/index.js';

function config(mutate: (raw: any) => void = () => {}): EnvironmentConfig {
  const result = loadWith(mutate, 'dev');
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return result.config as EnvironmentConfig;
}

describe('secrets that must exist before the first deploy', () => {
  const dockerHub = ['plan.images.caches.dockerHub.credentialSecret', 'ecr-pullthroughcache/harbor-platform/dev/docker-hub', ['username', 'accessToken']];

  it('are the LDAP bind password and the Docker Hub credential by default: the stack creates every other secret the config names', () => {
    expect(preexistingSecrets(config())).toEqual([
      {
        role: 'ldapBind',
        readBy: 'externalSecrets',
        field: 'ldap.bindPasswordSecret',
        secretName: 'harbor-platform/dev/ldap-bind',
        holds: 'the password of the LDAP search account cn=harbor,ou=services,dc=example,dc=com',
        jsonKeys: [],
      },
      {
        role: 'dockerHubCache',
        readBy: 'ecrPullThroughCache',
        field: 'plan.images.caches.dockerHub.credentialSecret',
        secretName: 'ecr-pullthroughcache/harbor-platform/dev/docker-hub',
        holds: 'a Docker Hub user and access token (read-only public repositories) for the pull-through cache of the goharbor and velero images',
        jsonKeys: ['username', 'accessToken'],
      },
    ]);
  });

  it('add the LDAP CA bundle when the config names one, a whole-string PEM secret', () => {
    const secrets = preexistingSecrets(config((raw) => (raw.ldap.caBundleSecret = 'harbor-platform/dev/ldap-ca')));
    expect(secrets.map((s) => [s.field, s.secretName, s.jsonKeys])).toEqual([
      ['ldap.bindPasswordSecret', 'harbor-platform/dev/ldap-bind', []],
      ['ldap.caBundleSecret', 'harbor-platform/dev/ldap-ca', []],
      dockerHub,
    ]);
  });

  it('are the Docker Hub credential alone for a directory searched anonymously without a company CA', () => {
    expect(preexistingSecrets(config((raw) => {
      raw.ldap.anonymousSearch = true;
      delete raw.ldap.searchDn;
      delete raw.ldap.bindPasswordSecret;
    })).map((s) => [s.field, s.secretName, s.jsonKeys])).toEqual([dockerHub]);
  });
});
