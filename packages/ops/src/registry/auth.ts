import { basicCredentialsEnv, type BasicCredentials } from '../credentials/basic-credentials.js';
import { RegistryError } from '../errors.js';

/** One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** Lower-cased scheme: `basic` or `bearer` for a registry. */
  readonly scheme: string;
  /** Parameters with lower-cased names (`realm`, `service`, `scope`, `error`). */
  readonly params: Readonly<Record<string, string>>;
}

/** Registry credentials; read from the environment, never from arguments. */
export type RegistryCredentials = BasicCredentials;

/** Prefix of the variables that hold the registry credentials (documented in each command's --help). */
export const REGISTRY_ENV_PREFIX = 'HARBOR_PLATFORM_REGISTRY';
export const REGISTRY_USERNAME_ENV = basicCredentialsEnv(REGISTRY_ENV_PREFIX).username;
export const REGISTRY_PASSWORD_ENV = basicCredentialsEnv(REGISTRY_ENV_PREFIX).password;

/**
 * Parses a `WWW-Authenticate` header into its challenges. Handles quoted strings with
 * escapes and commas inside them (a Bearer scope lists actions as `pull,push`), and
 * several challenges in one header.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const skip = (re: RegExp) => {
    while (i < header.length && re.test(header[i]!)) i++;
  };
  const token = () => {
    const start = i;
    while (i < header.length && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const name = token();
    if (!name) {
      if (i < header.length) i++; // stray character: skip it rather than loop forever
      continue;
    }
    skip(/\s/);
    if (header[i] !== '=' || challenges.length === 0) {
      challenges.push({ scheme: name.toLowerCase(), params: {} });
      continue;
    }
    if (i + 1 >= header.length || header[i + 1] === '=' || header[i + 1] === ',') {
      // token68 (e.g. `Negotiate abc==`): registries do not use it; kept so parsing goes on.
      const start = i;
      skip(/=/);
      challenges[challenges.length - 1]!.params.token68 = name + header.slice(start, i);
      continue;
    }
    i++; // '='
    skip(/\s/);
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i++];
      }
      i++; // closing quote
    } else {
      const start = i;
      while (i < header.length && header[i] !== ',' && !/\s/.test(header[i]!)) i++;
      value = header.slice(start, i);
    }
    challenges[challenges.length - 1]!.params[name.toLowerCase()] = value;
  }
  return challenges;
}

/** The body of a token endpoint's answer (Docker token spec: `token`, or OAuth2's `access_token`). */
export interface TokenResponse {
  readonly token?: string;
  readonly access_token?: string;
  /** Seconds. @default 60 (the spec's default) */
  readonly expires_in?: number;
}

/** The URL to ask a bearer token from, for the scopes a challenge names. */
export function tokenUrl(challenge: Challenge): URL {
  const realm = challenge.params.realm;
  if (!realm) throw new RegistryError('the registry asked for a bearer token but its WWW-Authenticate header names no realm');
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  for (const scope of (challenge.params.scope ?? '').split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
  return url;
}

/** The token of a token endpoint's answer, refusing an answer without one. */
export function tokenFrom(body: TokenResponse): { token: string; expiresInSeconds: number } {
  const token = body.token ?? body.access_token;
  if (!token) throw new RegistryError('the token endpoint answered without a token');
  return { token, expiresInSeconds: body.expires_in ?? 60 };
}

/** `Authorization` value for basic auth. */
export function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
