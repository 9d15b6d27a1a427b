import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';

/** An existing provider names this issuer; any other ARN is a mistake. */
export const GITHUB_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** The token claims' prefix in IAM conditions (the issuer host). */
const HOST = DEFAULTS.github.oidcUrl.replace(/^https:\/\//, '');

/**
 * The account's GitHub OIDC provider: imported when `arn` names an existing one
 * (an account holds one provider per URL, so a second stack cannot create it),
 * created otherwise.
 */
export function githubOidcProvider(scope: Construct, id: string, arn?: string): iam.IOidcProvider {
  return arn
    ? iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn)
    : new iam.OidcProviderNative(scope, id, { url: DEFAULTS.github.oidcUrl, clientIds: [DEFAULTS.github.audience] });
}

/** `repo:<owner>/<repo>:environment:<environment>`: the `sub` of a job that runs in that GitHub environment. */
export function githubEnvironmentSubject(owner: string, repo: string, environment: string): string {
  return `repo:${owner}/${repo}:environment:${environment}`;
}

/** Tokens of the provider with exactly this `sub`, for STS (`aud`), and nothing else. */
export function githubPrincipal(provider: iam.IOidcProvider, subject: string): iam.WebIdentityPrincipal {
  return new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
    StringEquals: {
      [`${HOST}:aud`]: DEFAULTS.github.audience,
      [`${HOST}:sub`]: subject,
    },
  });
}

/** A GitHub environment name the `sub` condition can match exactly. */
export function isExactEnvironment(environment: string): boolean {
  return environment.length > 0 && !/[*?:]/.test(environment);
}
