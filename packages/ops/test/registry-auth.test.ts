import { describe, expect, it } from 'vitest';
import { basicCredentialsFromEnv } from '../src/credentials/basic-credentials.js';
import { basicAuthorization, parseChallenges, REGISTRY_ENV_PREFIX, tokenFrom, tokenUrl } from '../src/registry/auth.js';

// Headers as real registries send them: distribution 2.8 with htpasswd (recorded from the
// local stack) and Harbor's core (its /v2 proxy's bearer challenge, with and without scope).
const DISTRIBUTION_BASIC = 'Basic realm="harbor-platform"';
const HARBOR_V2_ROOT = 'Bearer realm="https://harbor.example.com/service/token",service="harbor-registry"';
const HARBOR_PUSH = 'Bearer realm="https://harbor.example.com/service/token",service="harbor-registry",scope="repository:library/app:pull,push"';

describe('WWW-Authenticate parsing', () => {
  it('reads the basic challenge of distribution with htpasswd', () => {
    expect(parseChallenges(DISTRIBUTION_BASIC)).toEqual([{ scheme: 'basic', params: { realm: 'harbor-platform' } }]);
  });

  it("reads Harbor's bearer challenge, keeping the comma inside the quoted scope", () => {
    expect(parseChallenges(HARBOR_PUSH)).toEqual([
      { scheme: 'bearer', params: { realm: 'https://harbor.example.com/service/token', service: 'harbor-registry', scope: 'repository:library/app:pull,push' } },
    ]);
  });

  it('reads an insufficient_scope error and unquoted values', () => {
    const [c] = parseChallenges('Bearer realm=https://auth.example/token, error="insufficient_scope", scope="registry:catalog:*"');
    expect(c!.params).toEqual({ realm: 'https://auth.example/token', error: 'insufficient_scope', scope: 'registry:catalog:*' });
  });

  it('splits several challenges in one header', () => {
    const parsed = parseChallenges('Basic realm="a", Bearer realm="https://b/token",service="s"');
    expect(parsed.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(parsed[1]!.params.service).toBe('s');
  });

  it('unescapes quoted characters', () => {
    expect(parseChallenges('Basic realm="say \\"hi\\""')[0]!.params.realm).toBe('say "hi"');
  });

  it('returns nothing for an empty header', () => {
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('bearer tokens', () => {
  it("reads Harbor's challenge on /v2/, which names no scope", () => {
    expect(parseChallenges(HARBOR_V2_ROOT)).toEqual([{ scheme: 'bearer', params: { realm: 'https://harbor.example.com/service/token', service: 'harbor-registry' } }]);
    expect(tokenUrl(parseChallenges(HARBOR_V2_ROOT)[0]!).search).toBe('?service=harbor-registry');
  });


  it('asks the realm for the service and every scope of the challenge', () => {
    const url = tokenUrl({ scheme: 'bearer', params: { realm: 'https://harbor.example.com/service/token', service: 'harbor-registry', scope: 'repository:a:pull repository:b:pull' } });
    expect(url.origin + url.pathname).toBe('https://harbor.example.com/service/token');
    expect(url.searchParams.get('service')).toBe('harbor-registry');
    expect(url.searchParams.getAll('scope')).toEqual(['repository:a:pull', 'repository:b:pull']);
  });

  it("accepts Docker's token field and OAuth2's access_token, defaulting the lifetime to 60 s", () => {
    expect(tokenFrom({ token: 't1', expires_in: 1800 })).toEqual({ token: 't1', expiresInSeconds: 1800 });
    expect(tokenFrom({ access_token: 't2' })).toEqual({ token: 't2', expiresInSeconds: 60 });
  });

  it('refuses a challenge without realm and an answer without token', () => {
    expect(() => tokenUrl({ scheme: 'bearer', params: {} })).toThrow(/names no realm/);
    expect(() => tokenFrom({})).toThrow(/without a token/);
  });
});

describe('credentials', () => {
  it('come from the two environment variables', () => {
    const creds = basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, { HARBOR_PLATFORM_REGISTRY_USERNAME: 'robot', HARBOR_PLATFORM_REGISTRY_PASSWORD: 'pw' });
    expect(creds).toEqual({ username: 'robot', password: 'pw' });
    expect(basicAuthorization(creds!)).toBe(`Basic ${Buffer.from('robot:pw').toString('base64')}`);
  });

  it('are absent when neither variable is set', () => {
    expect(basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, {})).toBeUndefined();
  });

  it('name the missing variable when only one is set', () => {
    expect(() => basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, { HARBOR_PLATFORM_REGISTRY_USERNAME: 'robot' })).toThrow(/HARBOR_PLATFORM_REGISTRY_PASSWORD is not set/);
    expect(() => basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, { HARBOR_PLATFORM_REGISTRY_PASSWORD: 'pw' })).toThrow(/HARBOR_PLATFORM_REGISTRY_USERNAME is not set/);
  });

  it('one reader serves the registry and Harbor: the same rules and the same words for each prefix', async () => {
    const { HARBOR_ENV_PREFIX } = await import('../src/harbor/api.js');
    for (const prefix of [REGISTRY_ENV_PREFIX, HARBOR_ENV_PREFIX]) {
      expect(basicCredentialsFromEnv(prefix, { [`${prefix}_USERNAME`]: 'robot$ci', [`${prefix}_PASSWORD`]: 's' })).toEqual({ username: 'robot$ci', password: 's' });
      expect(basicCredentialsFromEnv(prefix, {})).toBeUndefined();
      expect(() => basicCredentialsFromEnv(prefix, { [`${prefix}_USERNAME`]: 'robot$ci' })).toThrow(`${prefix}_PASSWORD is not set: set both ${prefix}_USERNAME and ${prefix}_PASSWORD, or neither`);
    }
    expect(() => basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, { HARBOR_PLATFORM_REGISTRY_USERNAME: 'robot' }, 'for an anonymous registry')).toThrow(/, or neither for an anonymous registry$/);
  });
});
