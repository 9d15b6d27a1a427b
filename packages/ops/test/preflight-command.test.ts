/**
 * `harbor-platform preflight` as a whole: the bootstrap requirement read from a cloud
 * assembly, the GitHub check against a fake repository checked against GitHub's OpenAPI
 * description, the order and gating of the checks, the report's lines and exit statuses,
 * and its help and the README saying the same.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient, ListSourceCredentialsCommand } from '@aws-sdk/client-codebuild';
import { IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeRepository } from './support/fake-github-repository.js';
import { REPO } from './support/fakes.js';
import { githubSpec } from './support/github-openapi.js';
import { awsError, CALLER, devContext } from './support/preflight.js';
import { main } from '../src/cli.js';
import { runPreflightCommand } from '../src/commands/preflight-run.js';
import { preflightCommand } from '../src/commands/preflight.js';
import { bootstrapRequirement } from '../src/preflight/bootstrap-requirement.js';
import { finding, type PreflightCheck } from '../src/preflight/check.js';
import { githubEnvironmentsCheck } from '../src/preflight/checks/github-environments.js';
import { PREFLIGHT_CHECKS } from '../src/preflight/checks/index.js';
import { preflightExit, runPreflight } from '../src/preflight/run.js';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'hp-preflight-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A cloud assembly's manifest as aws-cdk-lib 2.276's default synthesizer writes it for one
 * environment: each stack depends on its asset manifest, the deploy and asset roles need
 * bootstrap version 6, the lookup role 8.
 */
function writeAssembly(name: string, env: string, qualifier = 'hnb659fds', lookupVersion = 8): string {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  const parameter = `/cdk-bootstrap/${qualifier}/version`;
  const artifacts: Record<string, object> = {};
  for (const stack of [`harbor-platform-${env}-github`, `harbor-platform-${env}`]) {
    artifacts[`${stack}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${stack}.assets.json`, requiresBootstrapStackVersion: 6, bootstrapStackVersionSsmParameter: parameter } };
    artifacts[stack] = {
      type: 'aws:cloudformation:stack',
      environment: 'aws://111111111111/ap-northeast-2',
      properties: {
        templateFile: `${stack}.template.json`,
        validateOnSynth: false,
        assumeRoleArn: `arn:\${AWS::Partition}:iam::111111111111:role/cdk-${qualifier}-deploy-role-111111111111-ap-northeast-2`,
        requiresBootstrapStackVersion: 6,
        bootstrapStackVersionSsmParameter: parameter,
        lookupRole: { arn: `arn:\${AWS::Partition}:iam::111111111111:role/cdk-${qualifier}-lookup-role-111111111111-ap-northeast-2`, requiresBootstrapStackVersion: lookupVersion, bootstrapStackVersionSsmParameter: parameter },
      },
      dependencies: [`${stack}.assets`],
      displayName: stack,
    };
  }
  artifacts.Tree = { type: 'cdk:tree', properties: { file: 'tree.json' } };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ version: '53.0.0', artifacts }));
  return out;
}

describe('the bootstrap requirement of the synthesized stacks', () => {
  it('is the highest version any role of the environment needs, with the version parameter and its qualifier', () => {
    expect(bootstrapRequirement(writeAssembly('plain', 'dev'), ['harbor-platform-dev', 'harbor-platform-dev-github'])).toEqual({
      minVersion: 8,
      versionParameter: '/cdk-bootstrap/hnb659fds/version',
      qualifier: 'hnb659fds',
      stacks: ['harbor-platform-dev', 'harbor-platform-dev-github'],
    });
    expect(bootstrapRequirement(writeAssembly('tagged', 'dev', 'custom42', 22), ['harbor-platform-dev'])).toMatchObject({ minVersion: 22, qualifier: 'custom42' });
  });

  it('says to synthesize when there is no assembly, or when it lacks a stack of the environment', () => {
    expect(() => bootstrapRequirement(join(dir, 'none'), ['harbor-platform-dev'])).toThrow(/no cloud assembly at .*none: run "npm run synth" first/);
    expect(() => bootstrapRequirement(writeAssembly('other', 'prod'), ['harbor-platform-dev'])).toThrow(/has no stack harbor-platform-dev: run "npm run synth" again/);
  });
});

describe('github-environments', () => {
  beforeAll(() => void githubSpec(), 60_000);
  const planned = () => ({ branchPolicy: { protected_branches: false, custom_branch_policies: true }, policies: [{ id: 7, name: 'main', type: 'branch' as const }], reviewers: [] as number[] });
  const setUp = (repo: FakeRepository) => {
    repo.sub = { use_default: false, include_claim_keys: ['repo', 'context', 'ref', 'job_workflow_ref'], use_immutable_subject: true };
    for (const name of ['prod', 'prod-operations']) repo.environments.set(name, planned());
    return repo;
  };

  it('passes when both environments deploy from main only and the deploy environment has the reviewers the config asks for', async () => {
    const repo = setUp(new FakeRepository());
    repo.environments.get('prod')!.reviewers = [4532992];
    const fs = await githubEnvironmentsCheck.run(devContext({ octokit: repo.octokit(), cliTarget: '--env prod' }, 'prod'));
    expect(fs.map((f) => [f.status, f.message])).toEqual([['ok', 'example-org/harbor-platform: environments prod and prod-operations deploy from main only, required reviewers on the deploy environment; OIDC subject template as the roles trust']]);
    expect(repo.writes()).toEqual([]);
  });

  it('reports each difference with the github-setup command that applies it, and missing reviewers as work for a person', async () => {
    const repo = new FakeRepository();
    repo.sub = setUp(new FakeRepository()).sub;
    repo.environments.set('prod', { ...planned(), branchPolicy: null, policies: [] });
    const fs = await githubEnvironmentsCheck.run(devContext({ octokit: repo.octokit(), cliTarget: '--env prod' }, 'prod'));
    expect(fs.map((f) => [f.status, f.message, f.fix])).toEqual([
      ['missing', 'example-org/harbor-platform: environment prod: deploys from any branch, not from main only', 'GITHUB_TOKEN=<admin token> npx harbor-platform github-setup --env prod'],
      ['missing', 'example-org/harbor-platform: environment prod-operations: does not exist, not from main only', 'GITHUB_TOKEN=<admin token> npx harbor-platform github-setup --env prod'],
      ['missing', expect.stringMatching(/^example-org\/harbor-platform: environment prod: no required reviewers, but github.requireReviewers is true: add reviewers in the repository's Settings > Environments > prod/), undefined],
    ]);
    expect(repo.writes()).toEqual([]);
  });

  it('names the permissions a token lacks, and asks for a token when there is none', async () => {
    const repo = new FakeRepository();
    repo.tokenWithoutAccess = true;
    const denied = await githubEnvironmentsCheck.run(devContext({ octokit: repo.octokit() }));
    expect(denied.map((f) => [f.status, f.message, f.fix])).toEqual([
      ['unchecked', "example-org/harbor-platform: the token may not read the repository's settings (HTTP 404)", "set GITHUB_TOKEN to a token of the repository's Administration (read) and Environments (read) permissions"],
    ]);
    expect((await githubEnvironmentsCheck.run(devContext()))[0]).toMatchObject({ status: 'unchecked', message: 'example-org/harbor-platform: no GitHub token' });
  });
});

describe('running the checks', () => {
  const check = (name: string, needs: 'aws' | 'github', run: PreflightCheck['run']): PreflightCheck => ({ name, title: name, needs, run });
  const ran: string[] = [];
  const ok = (name: string, needs: 'aws' | 'github' = 'aws') => check(name, needs, async () => (ran.push(name), [finding(name, 'ok', 'there')]));
  afterEach(() => void ran.splice(0));

  it('reports in the order of the list, whatever order the checks finish in', async () => {
    const slow = check('slow', 'aws', async () => (await new Promise((r) => setTimeout(r, 20)), [finding('slow', 'ok', 'there')]));
    const fs = await runPreflight(devContext(), [ok('account'), slow, ok('fast')]);
    expect(fs.map((f) => f.check)).toEqual(['account', 'slow', 'fast']);
  });

  it('leaves the other AWS checks out, on one line, until the account check passes; GitHub checks still run', async () => {
    const gate = check('account', 'aws', async () => [finding('account', 'missing', 'the AWS credentials are for account 222222222222')]);
    const fs = await runPreflight(devContext(), [gate, ok('certificate'), ok('secrets'), ok('environments', 'github')]);
    expect(ran).toEqual(['environments']);
    expect(fs.map((f) => [f.check, f.status, f.message])).toEqual([
      ['account', 'missing', 'the AWS credentials are for account 222222222222'],
      ['account', 'unchecked', 'not run until the account check passes: certificate, secrets'],
      ['environments', 'ok', 'there'],
    ]);
  });

  it('turns a check that throws into one unchecked line', async () => {
    const broken = check('broken', 'aws', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'Stacks')");
    });
    expect(await runPreflight(devContext(), [ok('account'), broken])).toContainEqual({ check: 'broken', status: 'unchecked', message: "could not run: Cannot read properties of undefined (reading 'Stacks')" });
  });

  it('exits 1 when anything is missing, else 3 when a check could not run, else 0', () => {
    const f = (status: 'ok' | 'missing' | 'unchecked' | 'skipped') => finding('c', status, 'm');
    expect(preflightExit([f('ok'), f('skipped')])).toBe(0);
    expect(preflightExit([f('ok'), f('unchecked')])).toBe(3);
    expect(preflightExit([f('unchecked'), f('missing')])).toBe(1);
  });
});

describe('harbor-platform preflight', () => {
  const sts = mockClient(STSClient);
  const ssm = mockClient(SSMClient);
  const cfn = mockClient(CloudFormationClient);
  const acm = mockClient(ACMClient);
  const route53 = mockClient(Route53Client);
  const secrets = mockClient(SecretsManagerClient);
  const iam = mockClient(IAMClient);
  const codebuild = mockClient(CodeBuildClient);
  afterEach(() => [sts, ssm, cfn, acm, route53, secrets, iam, codebuild].forEach((m) => m.reset()));
  beforeAll(() => void githubSpec(), 60_000);

  /** dev's account as it is once every step of "First deploy" is done. */
  function readyAccount() {
    sts.on(GetCallerIdentityCommand).resolves({ UserId: 'AROA3XFRBF535PLBIFPI4:alice', Account: '111111111111', Arn: CALLER });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/cdk-bootstrap/hnb659fds/version', Type: 'String', Value: '30', Version: 1 } });
    cfn.on(DescribeStacksCommand).rejects(awsError(CloudFormationServiceException, 'ValidationError', 'Stack with id harbor-platform-dev does not exist'));
    cfn.on(DescribeStacksCommand, { StackName: 'harbor-platform-dev-github' }).resolves({ Stacks: [{ StackName: 'harbor-platform-dev-github', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date('2026-11-02T09:14:00Z') }] });
    acm.on(DescribeCertificateCommand).resolves({ Certificate: { CertificateArn: 'arn:aws:acm:ap-northeast-2:111111111111:certificate/0b5d3c2e-1f4a-4c7e-9a1b-2d3e4f5a6b7c', DomainName: 'harbor.dev.example.com', SubjectAlternativeNames: ['harbor.dev.example.com'], Status: 'ISSUED' } });
    route53.on(GetHostedZoneCommand, { Id: 'Z1111111111111EXAMPLE' }).resolves({ HostedZone: { Id: '/hostedzone/Z1111111111111EXAMPLE', Name: 'dev.example.com.', CallerReference: 'r1', Config: { PrivateZone: false } } });
    secrets.on(DescribeSecretCommand).rejects(new ResourceNotFoundException({ $metadata: {}, message: "Secrets Manager can't find the specified secret." }));
    for (const name of ['harbor-platform/dev/ldap-bind', 'ecr-pullthroughcache/harbor-platform/dev/docker-hub']) {
      secrets.on(DescribeSecretCommand, { SecretId: name }).resolves({ Name: name, VersionIdsToStages: { 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE': ['AWSCURRENT'] } });
    }
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [] });
    codebuild.on(ListSourceCredentialsCommand).resolves({ sourceCredentialsInfos: [{ arn: 'arn:aws:codebuild:ap-northeast-2:111111111111:token/github', serverType: 'GITHUB', authType: 'PERSONAL_ACCESS_TOKEN' }] });
  }
  function readyRepository() {
    const repo = new FakeRepository();
    repo.sub = { use_default: false, include_claim_keys: ['repo', 'context', 'ref', 'job_workflow_ref'], use_immutable_subject: true };
    for (const name of ['dev', 'dev-operations']) repo.environments.set(name, { branchPolicy: { protected_branches: false, custom_branch_policies: true }, policies: [{ id: 7, name: 'main', type: 'branch' }], reviewers: [] });
    return repo;
  }
  const run = async (values: Record<string, string | boolean>, repo = readyRepository()) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runPreflightCommand({ values: { env: 'dev', assembly: writeAssembly('dev-ready', 'dev'), ...values }, positionals: [] }, { out: (t) => out.push(t), err: (t) => err.push(t) }, { env: {}, octokit: repo.octokit() });
    return { code, out, err };
  };

  it('exits 0 with one ok line per check, in the order of the list, when everything is there', async () => {
    readyAccount();
    const { code, out } = await run({});
    expect(code).toBe(0);
    expect(out.map((l) => l.split(':')[0])).toEqual([
      'ok        aws-account', 'ok        cdk-bootstrap', 'ok        certificate', 'ok        hosted-zone',
      'ok        secrets', 'ok        secrets', 'ok        stack-secrets', 'ok        github-oidc-provider', 'ok        codebuild-github', 'ok        github-stack', 'ok        github-environments',
    ]);
  });

  it('exits 1 naming what is missing and the command that fixes it, and prints the same as JSON with --json', async () => {
    readyAccount();
    cfn.on(DescribeStacksCommand, { StackName: 'harbor-platform-dev-github' }).rejects(awsError(CloudFormationServiceException, 'ValidationError', 'Stack with id harbor-platform-dev-github does not exist'));
    const { code, out } = await run({});
    expect(code).toBe(1);
    expect(out).toContain('missing   github-stack: harbor-platform-dev-github is not deployed in 111111111111/ap-northeast-2: npm run synth && (cd apps/platform && npx cdk deploy --app cdk.out harbor-platform-dev-github), once, as an administrator of account 111111111111');
    const json = JSON.parse((await run({ json: true })).out.join('\n'));
    expect(json).toMatchObject({ environment: 'dev', ready: false });
    expect(json.findings).toContainEqual({ check: 'github-stack', status: 'missing', message: 'harbor-platform-dev-github is not deployed in 111111111111/ap-northeast-2', fix: expect.stringContaining('cdk deploy') });
  });

  it('exits 3 when the credentials do not work, saying so once and running the GitHub check all the same', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { code, out } = await run({});
    expect(code).toBe(3);
    expect(out).toEqual([
      "unchecked aws-account: account 111111111111: no valid AWS credentials (CredentialsProviderError: Could not load credentials from any providers): sign in to the environment's account (aws sso login, AWS_PROFILE or the AWS_* variables) and run preflight again",
      'unchecked aws-account: not run until the account check passes: cdk-bootstrap, certificate, hosted-zone, secrets, stack-secrets, github-oidc-provider, codebuild-github, github-stack',
      expect.stringMatching(/^ok        github-environments: /),
    ]);
  });

  it('is listed by the CLI, and its help and the README name every check', async () => {
    const out: string[] = [];
    expect(await main(['preflight', '--help'], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(0);
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const firstDeploy = readme.slice(readme.indexOf('## First deploy'), readme.indexOf('\n## ', readme.indexOf('## First deploy') + 3));
    for (const c of PREFLIGHT_CHECKS) {
      expect(preflightCommand.help, c.name).toMatch(new RegExp(`^  ${c.name} +${c.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
      expect(firstDeploy, `README "First deploy" names ${c.name}`).toContain(`\`${c.name}\``);
    }
    // The README's steps come in the order the checks report.
    const positions = PREFLIGHT_CHECKS.map((c) => firstDeploy.indexOf(`\`${c.name}\``));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The steps end with preflight, then what follows it (the merge to main).
    const preflightAt = firstDeploy.search(/harbor-platform preflight --env dev\n```\n/);
    expect(preflightAt).toBeGreaterThan(Math.max(...positions));
    expect(firstDeploy.slice(preflightAt)).toMatch(/When it exits 0, merge to `main`/);
    expect(out.join('\n')).toContain('exit status: 0 ready, 1 something missing, 2 usage, 3 a check could not run');
  });
});
