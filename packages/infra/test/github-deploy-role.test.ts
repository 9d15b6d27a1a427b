import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT, synthesizeEnvironment, testStack, type SynthesizedEnvironment } from './util.js';
import { GithubDeployRole, type GithubDeployRoleProps } from '../src/index.js';

describe('GithubDeployStack of prod', () => {
  let prod: SynthesizedEnvironment;
  let role: Record<string, any>;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
    role = Object.values(prod.githubTemplate.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.RoleName === 'harbor-platform-prod-github-deploy')!.Properties;
  }, SYNTH_TIMEOUT);

  it('creates the GitHub OIDC provider for STS', () => {
    prod.githubTemplate.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
  });

  it('trusts only the deploy and restore workflows on main, in the configured GitHub environment, by the immutable IDs, for STS', () => {
    const { owner, repo, environment, ownerId, repositoryId } = prod.config.github;
    const pinned = (file: string) => `repo:${owner}@${ownerId}/${repo}@${repositoryId}:environment:${environment}:ref:refs/heads/main:job_workflow_ref:${owner}/${repo}/.github/workflows/${file}@refs/heads/main`;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: expect.anything() },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': [pinned('deploy.yml'), pinned('restore.yml')],
          },
        },
      },
    ]);
  });

  it('may only assume the CDK bootstrap roles of its account and region, read the platform stack\'s outputs and its zone\'s records', () => {
    // The deploy role's own policies (the GitHub stack also holds the operations role).
    const roleId = Object.entries(prod.githubTemplate.findResources('AWS::IAM::Role')).find(([, r]: [string, any]) => r.Properties.RoleName === 'harbor-platform-prod-github-deploy')![0];
    const policies = Object.values(prod.githubTemplate.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    // Then the image pushes and digest parameters (images.test.ts).
    expect(statements.map((st: any) => st.Sid)).toEqual(['AssumeCdkBootstrapRoles', 'ReadDeployedStackOutputs', 'ReadHarborRecords', undefined, undefined, 'WriteImageDigests']);
    // The smoke job waits for ExternalDNS's record of Harbor in the environment's zone alone.
    expect(statements[2]).toEqual({ Sid: 'ReadHarborRecords', Action: 'route53:ListResourceRecordSets', Effect: 'Allow', Resource: `arn:aws:route53:::hostedzone/${prod.config.dns.hostedZoneId}` });
    expect(statements[0].Action).toBe('sts:AssumeRole');
    // The deploy job's plan --previous check reads the deployed MinIO StatefulSets (deployed-minio-output.test.ts).
    expect(statements[1].Action).toBe('cloudformation:DescribeStacks');
    const { account, region } = prod.config.aws;
    expect(statements[0].Resource).toEqual(
      ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map((k) => `arn:aws:iam::${account}:role/cdk-hnb659fds-${k}-role-${account}-${region}`),
    );
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('has a stable role name and exports its ARN under a stable name', () => {
    expect(role.RoleName).toBe('harbor-platform-prod-github-deploy');
    prod.githubTemplate.hasOutput('GithubDeployRoleArn', { Export: { Name: 'harbor-platform-prod-github-deploy-role-arn' } });
  });
});

describe('GithubDeployRole props', () => {
  const subject = 'repo:example-org@1/harbor-platform@2:environment:dev:ref:refs/heads/main:job_workflow_ref:example-org/harbor-platform/.github/workflows/deploy.yml@refs/heads/main';
  const props: GithubDeployRoleProps = { owner: 'example-org', repo: 'harbor-platform', environment: 'dev', subjects: [subject], roleName: 'deploy' };
  const make = (p: Partial<GithubDeployRoleProps>) => () => new GithubDeployRole(testStack(), 'Role', { ...props, ...p });

  it('refuses an environment a sub condition cannot match exactly', () => {
    expect(make({ environment: 'prod*' })).toThrow(/environment: "prod\*" cannot be matched exactly in the token's sub claim/);
  });

  it('refuses a subject that names no workflow or ref (any branch could assume the role) and one of another environment', () => {
    expect(make({ subjects: ['repo:example-org/harbor-platform:environment:dev'] })).toThrow(/subjects: .*: each must name one workflow and ref exactly/);
    expect(make({ subjects: [subject.replace('refs/heads/main:', 'refs/heads/*:')] })).toThrow(/subjects: .*without \* or \?/);
    expect(make({ subjects: [subject.replace(':environment:dev:', ':environment:prod:')] })).toThrow(/subjects: each must be of the GitHub environment "dev"/);
  });

  it('refuses an owner GitHub would refuse', () => {
    expect(make({ owner: 'example org' })).toThrow(/owner: "example org" is not a GitHub owner name/);
  });

  it('reuses an existing provider instead of creating a second one', () => {
    const stack = testStack();
    new GithubDeployRole(stack, 'Role', { ...props, oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('refuses a provider ARN of another issuer', () => {
    expect(make({ oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/example.com' })).toThrow(/oidcProviderArn: .* is not the ARN of a GitHub OIDC provider/);
  });
});
