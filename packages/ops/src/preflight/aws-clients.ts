import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';

/** Settings shared by every client (a subset of each client's own configuration). */
export interface AwsClientOptions {
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly maxAttempts?: number;
  readonly requestHandler?: STSClientConfig['requestHandler'];
}

/**
 * The AWS clients of preflight, each made on first use in the environment's region with the
 * SDK's default credential chain (environment, profile, SSO, instance role). Every call a
 * check makes through them is a read.
 */
export class AwsClients {
  private readonly made = new Map<string, unknown>();

  /**
   * @param region the environment's `aws.region`
   * @param options client settings every client gets besides the region (tests give a request
   *   handler that answers as AWS does, and fixed credentials) @default none
   */
  constructor(readonly region: string, private readonly options: AwsClientOptions = {}) {}

  get sts(): STSClient {
    return this.client('sts', () => new STSClient({ ...this.options, region: this.region }));
  }
  get ssm(): SSMClient {
    return this.client('ssm', () => new SSMClient({ ...this.options, region: this.region }));
  }
  get cloudFormation(): CloudFormationClient {
    return this.client('cloudformation', () => new CloudFormationClient({ ...this.options, region: this.region }));
  }
  get acm(): ACMClient {
    return this.client('acm', () => new ACMClient({ ...this.options, region: this.region }));
  }
  /** Route 53 is global; the SDK signs for its global endpoint whatever the region. */
  get route53(): Route53Client {
    return this.client('route53', () => new Route53Client({ ...this.options, region: this.region }));
  }
  get secretsManager(): SecretsManagerClient {
    return this.client('secretsmanager', () => new SecretsManagerClient({ ...this.options, region: this.region }));
  }
  /** IAM is global, like Route 53. */
  get iam(): IAMClient {
    return this.client('iam', () => new IAMClient({ ...this.options, region: this.region }));
  }
  get codeBuild(): CodeBuildClient {
    return this.client('codebuild', () => new CodeBuildClient({ ...this.options, region: this.region }));
  }

  private client<T>(key: string, make: () => T): T {
    if (!this.made.has(key)) this.made.set(key, make());
    return this.made.get(key) as T;
  }
}
