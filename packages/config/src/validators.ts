/**
 * The patterns of AWS, Kubernetes, GitHub and PostgreSQL names and ARNs, in one place: the
 * schema (zod), the constructs' props checks (packages/infra) and the CLI's inputs
 * (packages/ops) test against these, each with its own message naming the field and the fix.
 * Each is anchored (`^...$`) and matches the whole value.
 */

/** A 12-digit AWS account ID (a string: YAML would drop leading zeros of a number). */
export const AWS_ACCOUNT_ID = /^\d{12}$/;

/**
 * An IAM role ARN, in any partition.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** An IAM role name: up to 64 letters, digits and `+=,.@_-`. */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The ARN of GitHub Actions' OIDC identity provider in IAM. */
export const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** An ACM certificate ARN (the id is a UUID). */
export const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;

/** A KMS key ARN (the id is a UUID; an alias ARN is not a key ARN). */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

/** A Secrets Manager secret name: 1-512 letters, digits and `/_+=.@-`. */
export const SECRETS_MANAGER_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** A CloudFormation stack name: a letter, then up to 127 letters, digits and hyphens. */
export const CLOUDFORMATION_STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** An EKS cluster name: up to 100 letters, digits, hyphens and underscores, starting with a letter or digit. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/**
 * The shape of an S3 general purpose bucket name: 3-63 lower-case letters, digits, dots and
 * hyphens, starting and ending with a letter or digit ({@link s3BucketNameExtrasOk} checks the rest).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The rules of an S3 bucket name beyond its shape: no `..`, `.-` or `-.`, not an IP address, no `xn--` prefix or `-s3alias` suffix. */
export function s3BucketNameExtrasOk(name: string): boolean {
  return !/\.\.|\.-|-\./.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith('xn--') && !name.endsWith('-s3alias');
}

const DNS_LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';

/**
 * A Kubernetes DNS-1123 label (namespaces, most object names): at most 63 lower-case letters,
 * digits and hyphens, starting and ending with a letter or digit.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
export const DNS_1123_LABEL = new RegExp(`^${DNS_LABEL}$`);

/** A DNS name of at least two labels (a host name such as `harbor.example.com`), at most 253 characters. */
export const DNS_NAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(\\.${DNS_LABEL})+$`);

/** A GitHub user or organization name. */
export const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** A GitHub repository name. */
export const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** A PostgreSQL user or database name as the platform writes them (lower case, unquoted). */
export const POSTGRES_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A plain JSON key (letters, digits, underscores), one a secret's JSON can hold without quoting in templates. */
export const PLAIN_JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An image reference pinned by digest: `registry[:port]/path[:tag]@sha256:<64 hex>`. */
export const DIGEST_PINNED_IMAGE = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[\w.-]+)?@sha256:[0-9a-f]{64}$/;
