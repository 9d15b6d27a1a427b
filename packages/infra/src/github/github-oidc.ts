import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';

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

/**
 * Tokens of the provider whose `sub` is one of `subjects` (each one workflow on one
 * ref in one GitHub environment, planGithub of packages/config), for STS (`aud`),
 * and nothing else. StringEquals with a list matches any one of its values.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export function githubPrincipal(provider: iam.IOidcProvider, subjects: readonly string[]): iam.WebIdentityPrincipal {
  return new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
    StringEquals: {
      [`${HOST}:aud`]: DEFAULTS.github.audience,
      [`${HOST}:sub`]: subjects.length === 1 ? subjects[0] : [...subjects],
    },
  });
}

/**
 * A `sub` the condition can match exactly, pinned to a workflow and a ref: no IAM
 * wildcard, and it names `job_workflow_ref:` and `ref:` (the repository's subject
 * template, applied by `harbor-platform github-setup`).
 */
export function isPinnedSubject(subject: string): boolean {
  return subject.length > 0 && !/[*?]/.test(subject) && /:ref:refs\/[^:]+:job_workflow_ref:[^:]+\/\.github\/workflows\/[^:@]+@refs\//.test(subject);
}

/** A GitHub environment name the `sub` condition can match exactly. */
export function isExactEnvironment(environment: string): boolean {
  return environment.length > 0 && !/[*?:]/.test(environment);
}
