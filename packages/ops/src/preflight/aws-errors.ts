import { finding, type Finding } from './check.js';

interface AwsError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** AWS's names for a refused call: IAM, CloudFormation, Route 53 and STS say AccessDenied, the JSON services AccessDeniedException. */
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);
/** The SDK's credential chain found nothing, or what it found is not valid (any longer). */
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'TokenRefreshRequired']);

/** Whether `err` is the error `name` (an SDK exception class or the service's error code). */
export function isAwsError(err: unknown, ...names: string[]): boolean {
  return names.includes((err as AwsError)?.name ?? '');
}

/**
 * The finding of a call that failed for a reason other than the resource's absence: a refused
 * call names the permission the caller lacks (from AWS's message when it says, else `action`),
 * never a stack trace.
 *
 * @param action the IAM action of the call, such as `acm:DescribeCertificate`
 * @param subject what the check was looking at, such as the certificate's ARN
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export function awsFailure(check: string, subject: string, action: string, err: unknown): Finding {
  const e = (err ?? {}) as AwsError;
  const text = firstLine(e.message ?? String(err));
  if (ACCESS_DENIED.has(e.name ?? '') || (e.$metadata?.httpStatusCode === 403 && /not authorized|access denied/i.test(text))) {
    const named = /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(text)?.[1] ?? action;
    const who = /User: (\S+) is not authorized/.exec(text)?.[1];
    return finding(check, 'unchecked', `${subject}: access denied${who ? ` to ${who}` : ''}`, `allow ${named} to the credentials preflight runs with`);
  }
  if (NO_CREDENTIALS.has(e.name ?? '')) {
    return finding(check, 'unchecked', `${subject}: no valid AWS credentials (${e.name}: ${text})`, 'sign in to the environment\'s account (aws sso login, AWS_PROFILE or the AWS_* variables) and run preflight again');
  }
  const answered = e.$metadata?.httpStatusCode !== undefined;
  return finding(check, 'unchecked', `${subject}: ${action} failed: ${e.name ? `${e.name}: ` : ''}${text}`, answered ? 'run preflight again (the line is what AWS answered)' : 'AWS did not answer: check the network (proxy, DNS) and run preflight again');
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
