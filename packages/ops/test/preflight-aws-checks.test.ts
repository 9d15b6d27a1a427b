/**
 * Each AWS check of `preflight` (the secrets' in preflight-secrets.test.ts) against the answers AWS documents (shapes of the SDK's own
 * types, values as in the API references' examples): passing, failing with one line naming
 * the fix, and refused with the permission that is missing.
 */
import { ACMClient, AccessDeniedException as AcmAccessDenied, DescribeCertificateCommand, ResourceNotFoundException as AcmNotFound } from '@aws-sdk/client-acm';
import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand, ListStackResourcesCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient, CodeBuildServiceException, ListSourceCredentialsCommand } from '@aws-sdk/client-codebuild';
import { IAMClient, IAMServiceException, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { GetHostedZoneCommand, ListHostedZonesByNameCommand, NoSuchHostedZone, Route53Client, Route53ServiceException } from '@aws-sdk/client-route-53';
import { AccessDeniedException as SsmAccessDenied, GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './support/fakes.js';
import { awsError, CALLER, deniedMessage, devContext } from './support/preflight.js';
import { awsAccountCheck } from '../src/preflight/checks/aws-account.js';
import { cdkBootstrapCheck } from '../src/preflight/checks/cdk-bootstrap.js';
import { certificateCheck, certificateCovers } from '../src/preflight/checks/certificate.js';
import { codebuildGithubCheck } from '../src/preflight/checks/codebuild-github.js';
import { githubOidcProviderCheck } from '../src/preflight/checks/github-oidc-provider.js';
import { githubStackCheck } from '../src/preflight/checks/github-stack.js';
import { hostedZoneCheck } from '../src/preflight/checks/hosted-zone.js';

const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const cfn = mockClient(CloudFormationClient);
const acm = mockClient(ACMClient);
const route53 = mockClient(Route53Client);
const iam = mockClient(IAMClient);
const codebuild = mockClient(CodeBuildClient);
afterEach(() => [sts, ssm, cfn, acm, route53, iam, codebuild].forEach((m) => m.reset()));

const meta = { $metadata: { httpStatusCode: 400, requestId: 'b2c6f2c1-5f5e-4c39-9d3a-2f0d4f1e6a70' } };
const lines = (fs: { status: string; message: string; fix?: string }[]) => fs.map((f) => [f.status, f.message, f.fix]);
const stackMissing = (name: string) => awsError(CloudFormationServiceException, 'ValidationError', `Stack with id ${name} does not exist`);
const stack = (StackName: string, StackStatus: StackStatus, outputs: Record<string, string> = {}) => ({
  StackId: `arn:aws:cloudformation:ap-northeast-2:111111111111:stack/${StackName}/5b5e7a40-7c4f-11ef-9a6b-0a1b2c3d4e5f`,
  StackName,
  StackStatus,
  CreationTime: new Date('2026-11-02T09:14:00Z'),
  Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
});

describe('aws-account', () => {
  it('passes with credentials of aws.account', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ UserId: 'AROA3XFRBF535PLBIFPI4:alice', Account: '111111111111', Arn: CALLER });
    expect(lines(await awsAccountCheck.run(devContext()))).toEqual([['ok', `account 111111111111 as ${CALLER}`, undefined]]);
  });

  it('names both accounts when the credentials are for another one', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ UserId: 'AIDASAMPLEUSERID', Account: '222222222222', Arn: 'arn:aws:iam::222222222222:user/alice' });
    const [f] = await awsAccountCheck.run(devContext());
    expect(f).toMatchObject({ status: 'missing', message: 'the AWS credentials are for account 222222222222 (arn:aws:iam::222222222222:user/alice), not aws.account 111111111111' });
    expect(f!.fix).toMatch(/^sign in to account 111111111111 /);
  });

  it('says there are no valid credentials, not a stack trace, when STS refuses the token', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError(STSServiceException, 'ExpiredToken', 'The security token included in the request is expired', 403));
    const [f] = await awsAccountCheck.run(devContext());
    expect(f).toMatchObject({ status: 'unchecked', message: 'account 111111111111: no valid AWS credentials (ExpiredToken: The security token included in the request is expired)' });
    expect(f!.fix).toMatch(/^sign in to the environment's account/);
  });
});

describe('cdk-bootstrap', () => {
  const where = 'aws://111111111111/ap-northeast-2';
  const fix = '(cd apps/platform && npx cdk bootstrap aws://111111111111/ap-northeast-2)';
  const parameter = (Value: string) => ({ Parameter: { Name: '/cdk-bootstrap/hnb659fds/version', Type: 'String' as const, Value, Version: 3, DataType: 'text', ARN: 'arn:aws:ssm:ap-northeast-2:111111111111:parameter/cdk-bootstrap/hnb659fds/version' } });

  it('passes when the version parameter is at least what the stacks need', async () => {
    ssm.on(GetParameterCommand, { Name: '/cdk-bootstrap/hnb659fds/version' }).resolves(parameter('30'));
    expect(lines(await cdkBootstrapCheck.run(devContext()))).toEqual([['ok', `${where} bootstrapped at version 30 (the synthesized stacks need 8 or later)`, undefined]]);
  });

  it('asks for a new bootstrap when the version is older than the stacks need', async () => {
    ssm.on(GetParameterCommand).resolves(parameter('6'));
    expect(lines(await cdkBootstrapCheck.run(devContext()))).toEqual([['missing', `${where} is bootstrapped at version 6; the synthesized stacks need 8 or later`, fix]]);
  });

  it('says the account is not bootstrapped when neither the parameter nor the CDKToolkit stack exists', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ ...meta, message: '' }));
    cfn.on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).rejects(stackMissing('CDKToolkit'));
    expect(lines(await cdkBootstrapCheck.run(devContext()))).toEqual([['missing', `${where} is not bootstrapped (no CDKToolkit stack, no /cdk-bootstrap/hnb659fds/version)`, fix]]);
  });

  it('asks to delete a CDKToolkit stack whose first bootstrap rolled back, then bootstrap again', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ ...meta, message: '' }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CDKToolkit', 'ROLLBACK_COMPLETE')] });
    expect(lines(await cdkBootstrapCheck.run(devContext()))).toEqual([
      ['missing', `${where}: the CDKToolkit stack is ROLLBACK_COMPLETE`, `delete it (aws cloudformation delete-stack --region ap-northeast-2 --stack-name CDKToolkit), then ${fix}`],
    ]);
  });

  it('reads the CDKToolkit output when the caller may not read the parameter, and names the missing permission when it may read neither', async () => {
    const message = deniedMessage('ssm:GetParameter', 'arn:aws:ssm:ap-northeast-2:111111111111:parameter/cdk-bootstrap/hnb659fds/version');
    const denied = new SsmAccessDenied({ ...meta, Message: message, message });
    ssm.on(GetParameterCommand).rejects(denied);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('CDKToolkit', 'UPDATE_COMPLETE', { BootstrapVersion: '29', BucketName: 'cdk-hnb659fds-assets-111111111111-ap-northeast-2' })] });
    expect(lines(await cdkBootstrapCheck.run(devContext()))).toEqual([['ok', `${where} bootstrapped at version 29 (the synthesized stacks need 8 or later)`, undefined]]);

    cfn.on(DescribeStacksCommand).rejects(awsError(CloudFormationServiceException, 'AccessDenied', deniedMessage('cloudformation:DescribeStacks', 'arn:aws:cloudformation:ap-northeast-2:111111111111:stack/CDKToolkit/*'), 403));
    expect(lines(await cdkBootstrapCheck.run(devContext()))).toEqual([
      ['unchecked', `${where} /cdk-bootstrap/hnb659fds/version: access denied to ${CALLER}`, 'allow ssm:GetParameter to the credentials preflight runs with'],
    ]);
  });

  it('cannot judge the version without the cloud assembly, and says to synthesize', async () => {
    const [f] = await cdkBootstrapCheck.run(devContext({ bootstrap: { unknown: 'no cloud assembly at apps/platform/cdk.out: run "npm run synth" first (or pass --assembly <dir>)' } }));
    expect(f).toMatchObject({ status: 'unchecked', fix: 'npm run synth' });
    expect(ssm.calls()).toHaveLength(0);
  });
});

describe('certificate', () => {
  const arn = loadConfig('dev').dns.certificateArn;
  const cert = (over: object = {}) => ({
    Certificate: {
      CertificateArn: arn,
      DomainName: 'dev.example.com',
      SubjectAlternativeNames: ['dev.example.com', '*.dev.example.com'],
      Status: 'ISSUED' as const,
      Type: 'AMAZON_ISSUED' as const,
      KeyAlgorithm: 'RSA_2048' as const,
      NotBefore: new Date('2026-11-01T00:00:00Z'),
      NotAfter: new Date('2027-11-30T23:59:59Z'),
      InUseBy: [],
      ...over,
    },
  });

  it('covers a host by its exact name or a wildcard of one label, never the wildcard parent or two labels', () => {
    expect(certificateCovers(['*.dev.example.com'], 'harbor.dev.example.com')).toBe(true);
    expect(certificateCovers(['Harbor.Dev.Example.com.'], 'harbor.dev.example.com')).toBe(true);
    expect(certificateCovers(['*.dev.example.com'], 'dev.example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], 'harbor.dev.example.com')).toBe(false);
    expect(certificateCovers(['dev.example.com'], 'harbor.dev.example.com')).toBe(false);
  });

  it('passes an issued certificate whose wildcard SAN covers the Harbor hostname', async () => {
    acm.on(DescribeCertificateCommand, { CertificateArn: arn }).resolves(cert());
    expect(lines(await certificateCheck.run(devContext()))).toEqual([['ok', `${arn} is ISSUED and covers harbor.dev.example.com (dev.example.com, *.dev.example.com)`, undefined]]);
  });

  it('reports a pending validation and names that do not cover the hostname, one line each', async () => {
    acm.on(DescribeCertificateCommand).resolves(cert({ Status: 'PENDING_VALIDATION', DomainName: 'registry.example.com', SubjectAlternativeNames: ['registry.example.com'] }));
    const fs = await certificateCheck.run(devContext());
    expect(lines(fs)).toEqual([
      ['missing', `${arn} is PENDING_VALIDATION, not ISSUED`, `create the validation records it lists in the hosted zone (aws acm describe-certificate --region ap-northeast-2 --certificate-arn ${arn} --query Certificate.DomainValidationOptions) and wait until it is ISSUED`],
      ['missing', `${arn} names registry.example.com, none of which covers dns.harborHostname harbor.dev.example.com`, 'aws acm request-certificate --region ap-northeast-2 --domain-name harbor.dev.example.com --validation-method DNS, then set dns.certificateArn to its ARN'],
    ]);
  });

  it('refuses a certificate of another region without asking ACM', async () => {
    const ctx = devContext();
    const usEast = arn.replace(':ap-northeast-2:', ':us-east-1:');
    const [f] = await certificateCheck.run({ ...ctx, config: { ...ctx.config, dns: { ...ctx.config.dns, certificateArn: usEast } } });
    expect(f).toMatchObject({ status: 'missing', message: `dns.certificateArn ${usEast} is in 111111111111/us-east-1; the load balancer in 111111111111/ap-northeast-2 can only use a certificate of its own account and region` });
    expect(acm.calls()).toHaveLength(0);
  });

  it('says a certificate does not exist, and names acm:DescribeCertificate when it is refused', async () => {
    acm.on(DescribeCertificateCommand).rejects(new AcmNotFound({ ...meta, message: `Could not find certificate ${arn}.` }));
    expect((await certificateCheck.run(devContext()))[0]).toMatchObject({ status: 'missing', message: `dns.certificateArn ${arn} does not exist` });
    acm.on(DescribeCertificateCommand).rejects(new AcmAccessDenied({ ...meta, message: deniedMessage('acm:DescribeCertificate', arn) }));
    expect(lines(await certificateCheck.run(devContext()))).toEqual([['unchecked', `${arn}: access denied to ${CALLER}`, 'allow acm:DescribeCertificate to the credentials preflight runs with']]);
  });
});

describe('hosted-zone', () => {
  const zone = (Name: string, Id = '/hostedzone/Z1D633PJN98FT9', PrivateZone = false) => ({ Id, Name, CallerReference: '2026-11-01-harbor', Config: { Comment: '', PrivateZone }, ResourceRecordSetCount: 4 });
  const byName = (...HostedZones: ReturnType<typeof zone>[]) => ({ HostedZones, DNSName: 'dev.example.com', IsTruncated: false, MaxItems: 10 });

  const ID = 'Z1111111111111EXAMPLE';
  const got = (HostedZone: ReturnType<typeof zone>) => ({ HostedZone, DelegationSet: { NameServers: ['ns-2048.awsdns-64.com'] } });

  it('passes when dns.hostedZoneId is the public zone dns.hostedZone', async () => {
    route53.on(GetHostedZoneCommand, { Id: ID }).resolves(got(zone('dev.example.com.', `/hostedzone/${ID}`)));
    expect(lines(await hostedZoneCheck.run(devContext()))).toEqual([['ok', `dns.hostedZoneId ${ID} is the public zone dev.example.com`, undefined]]);
    expect(route53.commandCalls(ListHostedZonesByNameCommand)).toHaveLength(0);
  });

  it('gives the ID of the zone of that name when dns.hostedZoneId is another zone, a private one or none', async () => {
    // ListHostedZonesByName starts at the name and goes on in order: later zones are not it.
    route53.on(ListHostedZonesByNameCommand, { DNSName: 'dev.example.com' }).resolves(byName(zone('dev.example.com.'), zone('prod.example.com.', '/hostedzone/Z2FDTNDATAQYW2')));
    route53.on(GetHostedZoneCommand, { Id: ID }).resolves(got(zone('prod.example.com.', `/hostedzone/${ID}`)));
    expect(lines(await hostedZoneCheck.run(devContext()))).toEqual([['missing', `dns.hostedZoneId ${ID} is the zone prod.example.com, not dns.hostedZone dev.example.com`, 'set dns.hostedZoneId to Z1D633PJN98FT9']]);
    route53.on(GetHostedZoneCommand, { Id: ID }).resolves(got(zone('dev.example.com.', `/hostedzone/${ID}`, true)));
    expect(lines(await hostedZoneCheck.run(devContext()))[0]![0]).toBe('missing');
    expect(lines(await hostedZoneCheck.run(devContext()))[0]![1]).toMatch(/is a private zone: Harbor's record must resolve outside the VPC$/);
    route53.on(GetHostedZoneCommand, { Id: ID }).rejects(new NoSuchHostedZone({ ...meta, message: `No hosted zone found with ID: ${ID}` }));
    expect(lines(await hostedZoneCheck.run(devContext()))).toEqual([['missing', `dns.hostedZoneId ${ID} does not exist in account 111111111111`, 'set dns.hostedZoneId to Z1D633PJN98FT9']]);
  });

  it('reports a missing zone with the command that creates it', async () => {
    route53.on(GetHostedZoneCommand).rejects(new NoSuchHostedZone({ ...meta, message: `No hosted zone found with ID: ${ID}` }));
    route53.on(ListHostedZonesByNameCommand).resolves(byName(zone('example.net.', '/hostedzone/Z3AADJGX6KTTL2')));
    const [f] = await hostedZoneCheck.run(devContext());
    expect(f).toMatchObject({ status: 'missing', message: `dns.hostedZoneId ${ID} does not exist in account 111111111111` });
    expect(f!.fix).toMatch(/^aws route53 create-hosted-zone --name dev.example.com .*, and set dns.hostedZoneId to its ID$/);
  });

  it('names route53:GetHostedZone when Route 53 refuses it', async () => {
    route53.on(GetHostedZoneCommand).rejects(awsError(Route53ServiceException, 'AccessDenied', deniedMessage('route53:GetHostedZone', `arn:aws:route53:::hostedzone/${ID}`), 403));
    expect(lines(await hostedZoneCheck.run(devContext()))).toEqual([['unchecked', `dns.hostedZoneId ${ID}: access denied to ${CALLER}`, 'allow route53:GetHostedZone to the credentials preflight runs with']]);
  });
});


describe('github-oidc-provider', () => {
  const provider = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
  const others = [{ Arn: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' }];

  it('passes when the account has none yet: the GitHub stack creates it', async () => {
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: others });
    expect(lines(await githubOidcProviderCheck.run(devContext()))).toEqual([['ok', 'no token.actions.githubusercontent.com provider yet: the GitHub stack harbor-platform-dev-github creates it', undefined]]);
  });

  it('asks to name a provider the account has when the GitHub stack is not there to own it', async () => {
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [...others, { Arn: provider }] });
    cfn.on(DescribeStacksCommand).rejects(stackMissing('harbor-platform-dev-github'));
    const [f] = await githubOidcProviderCheck.run(devContext());
    expect(f).toMatchObject({ status: 'missing', message: `the account has ${provider} and github.oidcProviderArn does not name it` });
    expect(f!.fix).toMatch(/^set github.oidcProviderArn: arn:aws:iam::111111111111:oidc-provider\/token.actions.githubusercontent.com /);
  });

  it('passes the provider the GitHub stack created itself', async () => {
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [{ Arn: provider }] });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('harbor-platform-dev-github', 'CREATE_COMPLETE')] });
    cfn.on(ListStackResourcesCommand, { StackName: 'harbor-platform-dev-github' }).resolves({
      StackResourceSummaries: [
        { LogicalResourceId: 'GithubDeployProvider1A2B3C4D', PhysicalResourceId: provider, ResourceType: 'AWS::IAM::OIDCProvider', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date('2026-11-02T09:15:00Z') },
      ],
    });
    expect(lines(await githubOidcProviderCheck.run(devContext()))).toEqual([['ok', `${provider}, created by harbor-platform-dev-github`, undefined]]);
  });

  it('checks that a configured github.oidcProviderArn exists', async () => {
    const ctx = devContext();
    const named = { ...ctx, github: { ...ctx.github, oidcProviderArn: provider } };
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: others });
    expect(lines(await githubOidcProviderCheck.run(named))).toEqual([['missing', `github.oidcProviderArn ${provider} does not exist`, 'remove github.oidcProviderArn: the GitHub stack then creates the provider']]);
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [{ Arn: provider }] });
    expect(lines(await githubOidcProviderCheck.run(named))).toEqual([['ok', `github.oidcProviderArn ${provider} exists`, undefined]]);
  });

  it('names iam:ListOpenIDConnectProviders when IAM refuses it', async () => {
    iam.on(ListOpenIDConnectProvidersCommand).rejects(awsError(IAMServiceException, 'AccessDenied', deniedMessage('iam:ListOpenIDConnectProviders', 'arn:aws:iam::111111111111:oidc-provider/*'), 403));
    expect(lines(await githubOidcProviderCheck.run(devContext()))).toEqual([['unchecked', `the token.actions.githubusercontent.com provider: access denied to ${CALLER}`, 'allow iam:ListOpenIDConnectProviders to the credentials preflight runs with']]);
  });
});

describe('github-stack', () => {
  const name = 'harbor-platform-dev-github';
  const deploy = `npm run synth && (cd apps/platform && npx cdk deploy --app cdk.out ${name}), once, as an administrator of account 111111111111`;

  it('passes the deployed stack the plan names', async () => {
    cfn.on(DescribeStacksCommand, { StackName: name }).resolves({ Stacks: [stack(name, 'UPDATE_COMPLETE')] });
    expect(lines(await githubStackCheck.run(devContext()))).toEqual([['ok', `${name} is UPDATE_COMPLETE`, undefined]]);
  });

  it('asks an administrator to deploy it once when it is not there, and to delete a failed first attempt', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing(name));
    expect(lines(await githubStackCheck.run(devContext()))).toEqual([['missing', `${name} is not deployed in 111111111111/ap-northeast-2`, deploy]]);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack(name, 'ROLLBACK_COMPLETE')] });
    expect(lines(await githubStackCheck.run(devContext()))).toEqual([['missing', `${name} is ROLLBACK_COMPLETE`, `delete it (aws cloudformation delete-stack --region ap-northeast-2 --stack-name ${name}), then ${deploy}`]]);
  });

  it('names cloudformation:DescribeStacks when it is refused', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError(CloudFormationServiceException, 'AccessDenied', deniedMessage('cloudformation:DescribeStacks', `arn:aws:cloudformation:ap-northeast-2:111111111111:stack/${name}/*`), 403));
    expect(lines(await githubStackCheck.run(devContext()))).toEqual([['unchecked', `${name}: access denied to ${CALLER}`, 'allow cloudformation:DescribeStacks to the credentials preflight runs with']]);
  });
});

describe('codebuild-github', () => {
  it('passes with a GitHub source credential in the region', async () => {
    codebuild.on(ListSourceCredentialsCommand).resolves({ sourceCredentialsInfos: [{ arn: 'arn:aws:codebuild:ap-northeast-2:111111111111:token/github', serverType: 'GITHUB', authType: 'CODECONNECTIONS', resource: 'arn:aws:codeconnections:ap-northeast-2:111111111111:connection/7d2b7a2c-1f3e-4b5a-9c8d-0e1f2a3b4c5d' }] });
    expect(lines(await codebuildGithubCheck.run(devContext()))).toEqual([['ok', 'GitHub source credential in ap-northeast-2 (CODECONNECTIONS)', undefined]]);
  });

  it('reports none for GitHub, naming the servers it has, with the commands that connect it', async () => {
    codebuild.on(ListSourceCredentialsCommand).resolves({ sourceCredentialsInfos: [{ arn: 'arn:aws:codebuild:ap-northeast-2:111111111111:token/bitbucket', serverType: 'BITBUCKET', authType: 'BASIC_AUTH' }] });
    const [f] = await codebuildGithubCheck.run(devContext());
    expect(f).toMatchObject({ status: 'missing', message: 'CodeBuild has no GitHub source credential in 111111111111/ap-northeast-2 (only BITBUCKET)' });
    expect(f!.fix).toContain('aws codebuild import-source-credentials --region ap-northeast-2 --server-type GITHUB --auth-type CODECONNECTIONS --token <connection ARN>');
  });

  it('names codebuild:ListSourceCredentials when it is refused', async () => {
    codebuild.on(ListSourceCredentialsCommand).rejects(awsError(CodeBuildServiceException, 'AccessDeniedException', deniedMessage('codebuild:ListSourceCredentials', '*')));
    expect(lines(await codebuildGithubCheck.run(devContext()))).toEqual([['unchecked', `source credentials in ap-northeast-2: access denied to ${CALLER}`, 'allow codebuild:ListSourceCredentials to the credentials preflight runs with']]);
  });
});
