/**
 * What went wrong in one AWS SDK call, as far as the fix goes. The SDK names service errors by
 * the service's error code (`err.name`, with the HTTP status in `err.$metadata`), credential
 * look-ups by `CredentialsProviderError`, and socket failures by Node's `err.code`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/handling-exceptions.html
 */
export type AwsFailure =
  /** The credentials are valid but may not do this (AccessDenied, 403). */
  | 'access-denied'
  /** The credentials are expired, unknown or wrongly signed. */
  | 'bad-credentials'
  /** No credentials anywhere in the SDK's chain. */
  | 'no-credentials'
  /** The endpoint did not answer (refused, unknown host, timed out, reset). */
  | 'network'
  /** The bucket does not exist (S3). */
  | 'no-such-bucket'
  | 'other';

const BAD_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpired', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'UnrecognizedClientException', 'InvalidClientTokenId']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** Sorts an error thrown by an AWS SDK v3 client into what its fix depends on. */
export function classifyAwsError(err: unknown): AwsFailure {
  const e = (err ?? {}) as SdkError;
  if (e.name === 'NoSuchBucket') return 'no-such-bucket';
  if (e.name && BAD_CREDENTIALS.has(e.name)) return 'bad-credentials';
  if (e.name === 'CredentialsProviderError') return 'no-credentials';
  if (e.name === 'AccessDenied' || e.name === 'AccessDeniedException' || e.name === 'AllAccessDisabled' || e.$metadata?.httpStatusCode === 403) return 'access-denied';
  if (e.name === 'TimeoutError' || (e.code && NETWORK_CODES.has(e.code))) return 'network';
  const cause = e.cause as SdkError | undefined;
  if (cause?.code && NETWORK_CODES.has(cause.code)) return 'network';
  return 'other';
}

/** The SDK's own words for an error, in one line: `AccessDenied (403) Access Denied`. */
export function awsReason(err: unknown): string {
  const e = (err ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const detail = (e.message || e.code || (e.cause as SdkError | undefined)?.code || '').split('\n')[0]!.trim();
  return [e.name && e.name !== 'Error' ? e.name : undefined, status ? `(${status})` : undefined, detail || undefined].filter(Boolean).join(' ') || String(err);
}
