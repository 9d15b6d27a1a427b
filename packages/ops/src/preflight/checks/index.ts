import { awsAccountCheck } from './aws-account.js';
import { cdkBootstrapCheck } from './cdk-bootstrap.js';
import { certificateCheck } from './certificate.js';
import { codebuildGithubCheck } from './codebuild-github.js';
import { githubEnvironmentsCheck } from './github-environments.js';
import { githubOidcProviderCheck } from './github-oidc-provider.js';
import { githubStackCheck } from './github-stack.js';
import { hostedZoneCheck } from './hosted-zone.js';
import { secretsCheck } from './secrets.js';
import { stackSecretsCheck } from './stack-secrets.js';
import type { PreflightCheck } from '../check.js';

/**
 * Every check of `preflight`, in the order of the README's "First deploy" and of the report.
 * The account check comes first: the other AWS checks run only once it passed. A new
 * prerequisite is a module beside these, listed here.
 */
export const PREFLIGHT_CHECKS: readonly PreflightCheck[] = [
  awsAccountCheck,
  cdkBootstrapCheck,
  certificateCheck,
  hostedZoneCheck,
  secretsCheck,
  stackSecretsCheck,
  githubOidcProviderCheck,
  codebuildGithubCheck,
  githubStackCheck,
  githubEnvironmentsCheck,
];
