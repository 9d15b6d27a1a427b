import { plannedEnvironment } from '@harbor-platform/config/testing';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testApp, type SynthesizedEnvironment } from './util.js';
import { GithubDeployStack } from '../src/index.js';

const PUSH_ACTIONS = ['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];

/** Every statement of the policies attached to the role named `roleName` (by Ref or by name). */
function roleStatements(template: Template, roleName: string): any[] {
  const roleId = Object.entries(resourcesOf(template, 'AWS::IAM::Role')).find(([, r]) => r.Properties.RoleName === roleName)?.[0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r === roleName || (roleId && r.Ref === roleId)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe('ECR repositories of the built images (the -github stack of prod)', () => {
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  it('one per built image, named from the config: immutable tags, scan on push, a lifecycle rule, retained', () => {
    const repos = Object.values(resourcesOf(prod.githubTemplate, 'AWS::ECR::Repository')) as any[];
    const images = prod.plan.images;
    expect(repos.map((r) => r.Properties.RepositoryName).sort()).toEqual([images.minio, images.ops].map((i) => (i.built ? i.repositoryName : '')).sort());
    expect(repos.map((r) => r.Properties.RepositoryName).sort()).toEqual(['harbor-platform-prod/minio', 'harbor-platform-prod/ops']);
    for (const r of repos) {
      expect(r.Properties.ImageTagMutability).toBe('IMMUTABLE');
      expect(r.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
      const rules = JSON.parse(r.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules).toEqual([expect.objectContaining({ selection: expect.objectContaining({ countType: 'imageCountMoreThan', countNumber: 30 }), action: { type: 'expire' } })]);
      expect(r.DeletionPolicy).toBe('Retain');
    }
  });

  const digestArns = ['minio', 'ops'].map((n) => `arn:aws:ssm:ap-northeast-2:222222222222:parameter/harbor-platform/prod/images/${n}/digest`);

  it('the deploy role may push only to those repositories and put only their digest parameters', () => {
    const statements = roleStatements(prod.githubTemplate, prod.plan.github.deployRole.name);
    const repoIds = Object.keys(resourcesOf(prod.githubTemplate, 'AWS::ECR::Repository')).sort();
    const ecrOrSsm = statements.filter((st) => asList(st.Action).some((a) => /^(ecr|ssm):/.test(String(a))));
    expect(ecrOrSsm).toEqual([
      {
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
        Effect: 'Allow',
        Resource: repoIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
      },
      // The registry login: the action has no resource.
      { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
      { Sid: 'WriteImageDigests', Action: 'ssm:PutParameter', Effect: 'Allow', Resource: digestArns },
    ]);
    expect(PUSH_ACTIONS.every((a) => ecrOrSsm[0].Action.includes(a))).toBe(true);
  });

  it('the CDK deploy role may read the digest parameters (CloudFormation resolves them with its credentials), nothing more', () => {
    expect(roleStatements(prod.githubTemplate, 'cdk-hnb659fds-deploy-role-222222222222-ap-northeast-2')).toEqual([
      { Sid: 'ReadImageDigests', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Effect: 'Allow', Resource: digestArns },
    ]);
  });

  it('the operations role may read the digest parameters (drift compares the images the last deploy ran) and write none', () => {
    const statements = roleStatements(prod.githubTemplate, prod.plan.github.operationsRole.name);
    const ssm = statements.filter((st) => asList(st.Action).some((a) => /^ssm:/.test(String(a))));
    expect(ssm).toEqual([{ Sid: 'ReadDeployedImageDigests', Action: 'ssm:GetParameter', Effect: 'Allow', Resource: digestArns }]);
  });

  it('a Docker Hub pull-through cache under <env>/docker-hub with the pre-existing ecr-pullthroughcache/ secret', () => {
    const rules = Object.values(resourcesOf(prod.githubTemplate, 'AWS::ECR::PullThroughCacheRule'));
    expect(rules.map((r) => r.Properties)).toEqual([{
      EcrRepositoryPrefix: 'prod/docker-hub',
      UpstreamRegistry: 'docker-hub',
      UpstreamRegistryUrl: 'registry-1.docker.io',
      CredentialArn: 'arn:aws:secretsmanager:ap-northeast-2:222222222222:secret:ecr-pullthroughcache/harbor-platform/prod/docker-hub',
    }]);
    // The Harbor and Velero values pull through this prefix (packages/config image-caches.ts).
    expect(prod.plan.images.caches.dockerHub.repositoryBase).toBe(`222222222222.dkr.ecr.ap-northeast-2.amazonaws.com/${rules[0]!.Properties.EcrRepositoryPrefix}`);
  });

  it('the nodes may create and import only the cache\'s repositories', () => {
    const nodeRoleId = Object.entries(resourcesOf(prod.template, 'AWS::IAM::Role')).find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('ec2.amazonaws.com'))![0];
    const statements = Object.values(resourcesOf(prod.template, 'AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === nodeRoleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Sid: 'PullThroughDockerHubCache',
      Effect: 'Allow',
      Action: ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
      Resource: 'arn:aws:ecr:ap-northeast-2:222222222222:repository/prod/docker-hub/*',
    });
  });

  it('an external image gets no repository and no parameter grant', () => {
    // quay.io's real mc digest (the committed clientImage), as an external ops image.
    const image = 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727';
    const { plan } = plannedEnvironment('prod', (raw) => {
      raw.registryBackup.image = image;
    });
    const template = Template.fromStack(new GithubDeployStack(testApp(), 'harbor-platform-prod-github', { plan }));
    expect(Object.values(resourcesOf(template, 'AWS::ECR::Repository')).map((x) => x.Properties.RepositoryName)).toEqual(['harbor-platform-prod/minio']);
    expect(JSON.stringify(template.toJSON())).not.toContain('/images/ops/digest');
  }, SYNTH_TIMEOUT);
});
