import { OpsError } from '../errors.js';

/** A username and password for HTTP basic auth; read from the environment, never from arguments. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** The two variables of `prefix`: `<prefix>_USERNAME` and `<prefix>_PASSWORD`. */
export function basicCredentialsEnv(prefix: string): { readonly username: string; readonly password: string } {
  return { username: `${prefix}_USERNAME`, password: `${prefix}_PASSWORD` };
}

/**
 * Reads `<prefix>_USERNAME` and `<prefix>_PASSWORD`; both or neither must be set.
 * @param neither what leaving both unset means, for the message (`for an anonymous registry`)
 * @returns undefined when neither is set
 * @throws Error naming the missing variable: `HARBOR_PLATFORM_REGISTRY_PASSWORD is not set: set both ...`
 */
export function basicCredentialsFromEnv(prefix: string, env: NodeJS.ProcessEnv = process.env, neither = ''): BasicCredentials | undefined {
  const names = basicCredentialsEnv(prefix);
  const username = env[names.username];
  const password = env[names.password];
  if (!username && !password) return undefined;
  if (!username || !password) {
    const missing = username ? names.password : names.username;
    throw new OpsError(`${missing} is not set: set both ${names.username} and ${names.password}, or neither${neither ? ` ${neither}` : ''}`);
  }
  return { username, password };
}
