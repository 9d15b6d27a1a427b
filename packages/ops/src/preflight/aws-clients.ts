import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The AWS clients of preflight, each made on first use in the environment's region with the
 * SDK's default credential chain (environment, profile, SSO, instance role). Every call a
 * check makes through them is a read.
 */
export class AwsClients {
  private readonly made = new Map<string, unknown>();

  constructor(readonly region: string) {}

  get sts(): STSClient {
    return this.client('sts', () => new STSClient({ region: this.region }));
  }
  get ssm(): SSMClient {
    return this.client('ssm', () => new SSMClient({ region: this.region }));
  }
  get cloudFormation(): CloudFormationClient {
    return this.client('cloudformation', () => new CloudFormationClient({ region: this.region }));
  }
  get acm(): ACMClient {
    return this.client('acm', () => new ACMClient({ region: this.region }));
  }
  /** Route 53 is global; the SDK signs for its global endpoint whatever the region. */
  get route53(): Route53Client {
    return this.client('route53', () => new Route53Client({ region: this.region }));
  }
  get secretsManager(): SecretsManagerClient {
    return this.client('secretsmanager', () => new SecretsManagerClient({ region: this.region }));
  }
  /** IAM is global, like Route 53. */
  get iam(): IAMClient {
    return this.client('iam', () => new IAMClient({ region: this.region }));
  }
  get codeBuild(): CodeBuildClient {
    return this.client('codebuild', () => new CodeBuildClient({ region: this.region }));
  }

  private client<T>(key: string, make: () => T): T {
    if (!this.made.has(key)) this.made.set(key, make());
    return this.made.get(key) as T;
  }
}
