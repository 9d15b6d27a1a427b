import { CommandError, durationOption, requireString, UsageError, type ParsedArgs } from './command.js';
import { defineOptionGroup } from './declare.js';
import { basicCredentialsFromEnv } from '../credentials/basic-credentials.js';
import { OpsError } from '../errors.js';
import { REGISTRY_ENV_PREFIX, REGISTRY_PASSWORD_ENV, REGISTRY_USERNAME_ENV } from '../registry/auth.js';
import { RegistryClient } from '../registry/client.js';
import { RegistryHttpError, RegistryUnreachableError } from '../registry/errors.js';
import { S3StoreError } from '../s3/errors.js';
import { VerifyAbortedError } from '../verify/run.js';

/** Options every registry-facing command shares, and the credentials it reads. */
export const REGISTRY_OPTIONS = defineOptionGroup({
  options: {
    registry: { type: 'string', placeholder: '<url>', required: true, description: 'the registry, with scheme and port (http://127.0.0.1:5000)' },
    timeout: {
      type: 'string',
      placeholder: '<duration>',
      default: '30s',
      description: 'longest wait for an answer or between two chunks of a body\n(90s, 15m; a bare number is seconds); failed requests are\nretried 3 times',
    },
  },
  environment: [
    {
      name: `${REGISTRY_USERNAME_ENV}, ${REGISTRY_PASSWORD_ENV}`,
      description: 'registry credentials (basic auth, or the bearer-token flow Harbor uses);\nnever taken from arguments',
    },
  ],
});

/** The registry client the arguments describe; credentials come from the environment. */
export function registryFromArgs(args: ParsedArgs, option = 'registry'): RegistryClient {
  const url = requireString(args, option);
  const timeoutMs = durationOption(args, 'timeout', 30_000, 1000, 3_600_000);
  let credentials;
  try {
    credentials = basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, process.env, 'for an anonymous registry');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  try {
    return new RegistryClient({ url, timeoutMs, credentials });
  } catch (err) {
    throw new UsageError(`--${option}: ${(err as Error).message}`);
  }
}

/**
 * Turns the library's expected failures into one clear line (exit 1): an unreachable
 * registry or store, a refusal by the registry, a stopped verification.
 */
export function asCommandError(err: unknown, doing: string): unknown {
  if (err instanceof CommandError || err instanceof UsageError) return err;
  const oneLine = [RegistryUnreachableError, RegistryHttpError, VerifyAbortedError, S3StoreError];
  if (oneLine.some((kind) => err instanceof kind)) {
    return new CommandError(`${doing}: ${(err as Error).message}`);
  }
  const sdk = err as { name?: string; $metadata?: unknown; message?: string; code?: string };
  if (sdk?.$metadata !== undefined || sdk?.code === 'ECONNREFUSED' || sdk?.name === 'TimeoutError') {
    return new CommandError(`${doing}: object store: ${[sdk.name, sdk.message || sdk.code].filter(Boolean).join(' ')}`);
  }
  // Programming errors (TypeError ...) stay unexpected, so HARBOR_PLATFORM_DEBUG shows their stack.
  if (err instanceof OpsError || (err instanceof Error && err.constructor === Error)) return new CommandError(`${doing}: ${(err as Error).message}`);
  return err;
}
