import { requireString, UsageError, type ParsedArgs } from './command.js';
import { defineOptionGroup, type EnvironmentSpec } from './declare.js';
import { endpointFromEnv, parseS3Url, s3EnvNames, type S3Role } from '../s3/location.js';
import { ObjectStore } from '../s3/store.js';

/**
 * `--source <s3 url>` and `--target <s3 url>`, both required, described by the command (the
 * source of a backup is the registry's bucket, of a restore the copy), with the variables
 * that give each its endpoint and keys ({@link storeFromArgs}).
 */
export function s3StoreOptions(descriptions: { readonly source: string; readonly target: string }) {
  return defineOptionGroup({
    options: {
      source: { type: 'string', placeholder: '<s3 url>', required: true, description: descriptions.source },
      target: { type: 'string', placeholder: '<s3 url>', required: true, description: descriptions.target },
    },
    environment: s3Environment(['source', 'target']),
  });
}

/** The variables of each role's store, then the shared fallback; see {@link endpointFromEnv}. */
function s3Environment(roles: readonly S3Role[]): EnvironmentSpec[] {
  return [
    ...roles.map((role) => ({ name: variableFamily(role, 0), description: `the ${role} store` })),
    {
      name: variableFamily(roles[0]!, 1),
      description: 'shared fallback for both\n(unset: the AWS SDK chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION, profiles, Pod Identity)',
    },
  ];
}

/** `HARBOR_PLATFORM_SOURCE_S3_{ENDPOINT,REGION,ACCESS_KEY_ID,SECRET_ACCESS_KEY}`: the `rank`th name (0 the role's own, 1 the shared one) of each setting. */
function variableFamily(role: S3Role, rank: 0 | 1): string {
  const names = s3EnvNames(role);
  const all = [names.endpoint, names.region, names.accessKeyId, names.secretAccessKey].map((n) => n[rank]!);
  const prefix = all[0]!.replace(/ENDPOINT$/, '');
  return `${prefix}{${all.map((n) => n.slice(prefix.length)).join(',')}}`;
}

/** An object store from an `s3://bucket/prefix` option, with the role's endpoint and keys from the environment. */
export function storeFromArgs(args: ParsedArgs, option: string, role: S3Role): ObjectStore {
  const value = requireString(args, option);
  try {
    return new ObjectStore(parseS3Url(value, endpointFromEnv(role), `--${option}`), role);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
