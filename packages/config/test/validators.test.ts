import { describe, expect, it } from 'vitest';
import {
  ACM_CERTIFICATE_ARN,
  AWS_ACCOUNT_ID,
  CLOUDFORMATION_STACK_NAME,
  DIGEST_PINNED_IMAGE,
  DNS_1123_LABEL,
  DNS_NAME,
  EKS_CLUSTER_NAME,
  GITHUB_OIDC_PROVIDER_ARN,
  GITHUB_OWNER,
  GITHUB_REPO,
  IAM_ROLE_ARN,
  IAM_ROLE_NAME,
  KMS_KEY_ARN,
  PLAIN_JSON_KEY,
  POSTGRES_IDENTIFIER,
  S3_BUCKET_NAME,
  s3BucketNameExtrasOk,
  SECRETS_MANAGER_NAME,
} from '../src/validators.js';

// Each pattern against names of the shape AWS, Kubernetes and GitHub document, and the near misses
// a config or a prop gets wrong (a missing segment, upper case, a wildcard, one character too many).
const cases: [string, RegExp, string[], string[]][] = [
  ['AWS account ID', AWS_ACCOUNT_ID, ['123456789012', '012345678901'], ['12345678901', '1234567890123', '12345678901a']],
  ['IAM role ARN', IAM_ROLE_ARN, ['arn:aws:iam::123456789012:role/admin', 'arn:aws-us-gov:iam::123456789012:role/path/to/ops+1@x'], ['arn:aws:iam::123456789012:user/admin', 'arn:aws:iam::123:role/admin', 'arn:aws:iam::123456789012:role/']],
  ['IAM role name', IAM_ROLE_NAME, ['harbor-platform-dev-deploy', 'a+b=c,d.e@f_g'], ['a/b', 'x'.repeat(65), '']],
  ['GitHub OIDC provider ARN', GITHUB_OIDC_PROVIDER_ARN, ['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'], ['arn:aws:iam::123456789012:oidc-provider/accounts.google.com', 'arn:aws:iam::123456789012:role/token.actions.githubusercontent.com']],
  ['ACM certificate ARN', ACM_CERTIFICATE_ARN, ['arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'], ['arn:aws:acm:eu-west-1:123456789012:certificate/abc', 'arn:aws:acm::123456789012:certificate/12345678-1234-1234-1234-123456789012']],
  ['KMS key ARN', KMS_KEY_ARN, ['arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab'], ['arn:aws:kms:eu-west-1:333333333333:alias/backup', '1234abcd-12ab-34cd-56ef-1234567890ab']],
  ['Secrets Manager name', SECRETS_MANAGER_NAME, ['harbor-platform/dev/ldap-bind', 'a_b+c=d.e@f-g'], ['with space', 'x'.repeat(513), '']],
  ['CloudFormation stack name', CLOUDFORMATION_STACK_NAME, ['HarborPlatform-dev', 'a'], ['1stack', 'with_underscore', 'a'.repeat(129)]],
  ['EKS cluster name', EKS_CLUSTER_NAME, ['harbor-platform-dev', 'a_b'], ['-lead', 'a'.repeat(101)]],
  ['S3 bucket name', S3_BUCKET_NAME, ['harbor-backup.dev', 'abc'], ['ab', 'Harbor', '-abc', 'abc-', 'a'.repeat(64)]],
  ['DNS-1123 label', DNS_1123_LABEL, ['harbor', 'minio-drill', 'a'], ['Harbor', 'a.b', '-a', 'a-', 'a'.repeat(64)]],
  ['DNS name', DNS_NAME, ['harbor.example.com'], ['harbor', 'Harbor.example.com', 'a..b']],
  ['GitHub owner', GITHUB_OWNER, ['example-org', 'a'], ['-org', 'a'.repeat(40)]],
  ['GitHub repository', GITHUB_REPO, ['harbor-platform', 'a.b_c'], ['a/b', '']],
  ['PostgreSQL identifier', POSTGRES_IDENTIFIER, ['registry', '_harbor1'], ['Registry', '1registry', 'a'.repeat(64)]],
  ['plain JSON key', PLAIN_JSON_KEY, ['password', 'AUTH_TOKEN'], ['auth-token', '1key', '']],
  ['digest-pinned image', DIGEST_PINNED_IMAGE, [`quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:${'a'.repeat(64)}`, `registry.local:5000/a/b@sha256:${'0'.repeat(64)}`], ['quay.io/minio/minio:latest', `minio@sha256:${'a'.repeat(64)}`]],
];

describe.each(cases)('%s', (_what, pattern, good, bad) => {
  it.each(good)('accepts %s', (v) => expect(pattern.test(v)).toBe(true));
  it.each(bad)('refuses %s', (v) => expect(pattern.test(v)).toBe(false));
});

describe('S3 bucket name rules beyond the shape', () => {
  it.each(['harbor.backup', 'harbor-backup'])('accepts %s', (v) => expect(s3BucketNameExtrasOk(v)).toBe(true));
  it.each(['a..b', 'a.-b', 'a-.b', '192.168.1.1', 'xn--abc', 'abc-s3alias'])('refuses %s', (v) => expect(s3BucketNameExtrasOk(v)).toBe(false));
});
