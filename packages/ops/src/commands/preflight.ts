import { PREFLIGHT_GROUPS, PREFLIGHT_OPTIONS } from './preflight-options.js';
import { defineCommand } from '../cli/declare.js';
import { githubTokenVariable } from '../cli/environment-variables.js';

export const preflightCommand = defineCommand({
  name: 'preflight',
  description: `Checks, with read-only AWS and GitHub calls, what an account and a repository need before
the pipeline can deploy the environment (README, "First deploy"), and prints one line per
finding: "<status> <check>: what was found: the command that fixes it". Status is ok,
missing (the fix follows), unchecked (the check could not run: the permission or token it
lacks follows) or skipped (does not apply to this config). Run "npm run synth" first: the
CDK bootstrap version the stacks need is read from the cloud assembly.

checks, in order:
  aws-account           the AWS credentials are for aws.account (the other AWS checks run after it passed)
  cdk-bootstrap         the account and region are CDK-bootstrapped at the version the synthesized stacks need
  certificate           dns.certificateArn is ISSUED, in the region, and covers dns.harborHostname
  hosted-zone           the hosted zone dns.hostedZoneId exists, is public and is dns.hostedZone
  secrets               every secret the config names that no stack creates exists, with a value (never read)
  stack-secrets         before the first deploy, no secret the platform stack creates is left from an earlier one
  github-oidc-provider  the account's GitHub OIDC provider exists, or the GitHub stack can create it
  codebuild-github      CodeBuild has a GitHub source credential in the region (the VPC runners' connection)
  github-stack          the GitHub stack (the pipeline's roles) is deployed
  github-environments   the repository's environments, their protection (github.requireReviewers) and OIDC subject template

access (read only: preflight changes nothing):
  AWS      the default credential chain (AWS_PROFILE, SSO, AWS_* variables): sts:GetCallerIdentity,
           ssm:GetParameter on /cdk-bootstrap/<qualifier>/version, cloudformation:DescribeStacks
           (CDKToolkit, the platform and the GitHub stack) and ListStackResources (the GitHub stack),
           acm:DescribeCertificate, route53:ListHostedZonesByName and GetHostedZone,
           secretsmanager:DescribeSecret on the secrets the config names (never GetSecretValue),
           iam:ListOpenIDConnectProviders, codebuild:ListSourceCredentials
  GitHub   GITHUB_SETTINGS_TOKEN, GITHUB_TOKEN or GH_TOKEN: Administration (read) and Environments (read)
           of the repository`,
  groups: PREFLIGHT_GROUPS,
  environment: [
    { name: 'GITHUB_SETTINGS_TOKEN', description: 'the token the GitHub checks read the repository with (first choice)' },
    githubTokenVariable('the token when GITHUB_SETTINGS_TOKEN is unset (with none, the GitHub checks are unchecked)'),
  ],
  options: PREFLIGHT_OPTIONS,
  exitStatus: '0 ready, 1 something missing, 2 usage, 3 a check could not run (and nothing is missing)',
  // The implementation (AWS SDK clients, GitHub client) loads only when this command runs.
  run: async (args, io) => (await import('./preflight-run.js')).runPreflightCommand(args, io),
});
