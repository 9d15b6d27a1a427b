import { S3Error } from '../errors.js';
import { s3EnvNames, type S3Location, type S3Role } from './location.js';
import { awsReason, classifyAwsError, type AwsFailure } from '../aws/errors.js';

/**
 * An S3 call that failed for a reason the operator fixes (access, a missing bucket, credentials,
 * the network): its message is one line naming the bucket and prefix and the fix. The SDK's
 * error is kept as `cause`.
 */
export class S3StoreError extends S3Error {
  constructor(
    message: string,
    readonly failure: AwsFailure,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'S3StoreError';
  }
}

/** Where a store sits, for {@link s3StoreError}'s message. */
export interface StoreWhere {
  /** `s3://bucket/prefix` */
  readonly url: string;
  readonly location: S3Location;
  /** Which option and variables the store came from (`--source`, HARBOR_PLATFORM_SOURCE_S3_*). @default unknown */
  readonly role?: S3Role;
}

/**
 * The error to throw for an SDK failure on `where`: an {@link S3StoreError} for the failures
 * the operator fixes, the SDK's error itself otherwise (a missing key is the caller's to handle).
 */
export function s3StoreError(err: unknown, where: StoreWhere): unknown {
  const failure = classifyAwsError(err);
  if (failure === 'other') return err;
  const { url, location, role } = where;
  const reason = awsReason(err);
  const keys = role ? s3EnvNames(role) : undefined;
  const keyVars = keys ? `${keys.accessKeyId[0]} and ${keys.secretAccessKey[0]}` : 'the access key variables';
  const endpoint = location.endpoint.endpoint;
  const option = role ? ` in --${role}` : '';
  const bucket = `s3://${location.bucket}`;
  const access = role === 'source' ? 's3:ListBucket and s3:GetObject' : 's3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject';
  const message = {
    'access-denied': `${url}: access denied (${reason}): give the credentials in use (${keys ? `${keyVars}, else ` : ''}the AWS SDK chain) ${access} on ${bucket} and this prefix`,
    'no-such-bucket': `${bucket}: no such bucket (${reason})${endpoint ? ` at ${endpoint}` : ''}: create it, or correct the bucket name${option}`,
    'bad-credentials': `${url}: the credentials were refused (${reason}): renew them (aws sso login, or a new session for the role)${keys ? `, or set ${keyVars}` : ''}`,
    'no-credentials': `${url}: no AWS credentials found (${reason}): set ${keys ? `${keyVars}, or ` : ''}AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (aws sso login for a profile)`,
    'network': `${url}: cannot reach ${endpoint ? `the S3 endpoint ${endpoint}` : `AWS S3${location.endpoint.region ? ` in ${location.endpoint.region}` : ''}`} (${reason}): ${endpoint ? `check ${keys ? keys.endpoint[0] : 'the endpoint'} and that the store is up` : 'check the network and the region'}`,
  }[failure];
  return new S3StoreError(message, failure, err);
}
