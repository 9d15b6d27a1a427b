import { requireString, UsageError, type ParsedArgs } from './command.js';
import { endpointFromEnv, parseS3Url, type S3Role } from '../s3/location.js';
import { ObjectStore } from '../s3/store.js';

/** An object store from an `s3://bucket/prefix` option, with the role's endpoint and keys from the environment. */
export function storeFromArgs(args: ParsedArgs, option: string, role: S3Role): ObjectStore {
  const value = requireString(args, option);
  try {
    return new ObjectStore(parseS3Url(value, endpointFromEnv(role), `--${option}`), role);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
