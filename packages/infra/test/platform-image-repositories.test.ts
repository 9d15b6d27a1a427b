import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Stack } from 'aws-cdk-lib/core';
import { describe, expect, it } from 'vitest';
import { environment, resourcesOf, testStack } from './util.js';
import { deployedImageRefs, PlatformImageRepositories, type PlatformImageRepositoriesProps } from '../src/index.js';

/** PlatformImageRepositories in a bare stack with imported roles and `images` (the plan's slice). */
function synth(images: PlatformImageRepositoriesProps['images'], extra: (stack: Stack) => Partial<PlatformImageRepositoriesProps> = () => ({})) {
  const stack = testStack();
  const deployRole = new iam.Role(stack, 'DeployRole', { assumedBy: new iam.AccountRootPrincipal() });
  const repositories = new PlatformImageRepositories(stack, 'Images', { images, deployRole, ...extra(stack) });
  return { stack, repositories, template: Template.fromStack(stack) };
}

const statements = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);

describe('PlatformImageRepositories with minimal props', () => {
  const { plan } = environment('dev');
  const built = plan.images;
  const external = { ...built, ops: { name: 'ops' as const, built: false as const, image: 'quay.io/minio/mc@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727' } };

  it("creates a repository per built image of the plan's images, and the Docker Hub cache rule", () => {
    const { template, repositories } = synth(built);
    const names = Object.values(resourcesOf(template, 'AWS::ECR::Repository')).map((r) => r.Properties.RepositoryName).sort();
    expect(names).toEqual([plan.names.images.minio!.repository, plan.names.images.ops!.repository]);
    expect(Object.keys(repositories.repositories).sort()).toEqual(['minio', 'ops']);
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { EcrRepositoryPrefix: built.caches.dockerHub.prefix, UpstreamRegistryUrl: 'registry-1.docker.io' });
  });

  it('creates none for an external image, and grants no digest parameter of it', () => {
    const { template } = synth(external);
    expect(Object.values(resourcesOf(template, 'AWS::ECR::Repository')).map((r) => r.Properties.RepositoryName)).toEqual([plan.names.images.minio!.repository]);
    expect(JSON.stringify(template.toJSON())).not.toContain(plan.names.images.ops!.digestParameter);
  });

  it('lets the deploy role write exactly the digest parameters, and the digest readers read them', () => {
    const { template } = synth(built, (stack) => ({ digestReaders: [new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() })] }));
    const arns = [plan.names.images.minio!.digestParameter, plan.names.images.ops!.digestParameter].map((p) => `arn:aws:ssm:${plan.aws.region}:${plan.aws.account}:parameter${p}`);
    expect(statements(template).find((s) => s.Sid === 'WriteImageDigests')).toMatchObject({ Action: 'ssm:PutParameter', Resource: arns });
    expect(statements(template).find((s) => s.Sid === 'ReadImageDigests')).toMatchObject({ Resource: arns });
    expect(statements(template).find((s) => s.Sid === 'ReadDeployedImageDigests')).toMatchObject({ Action: 'ssm:GetParameter', Resource: arns });
  });

  it('refers to built images by their deploy-time digest parameter, to external ones as configured', () => {
    const stack = testStack();
    const refs = deployedImageRefs(stack, external);
    expect(refs.ops).toBe(external.ops.image);
    expect(stack.resolve(refs.minio)).toEqual({ 'Fn::Join': ['', [`${plan.images.minio.built && plan.images.minio.repositoryUri}@`, { Ref: expect.stringMatching(/^SsmParameterValue/) }]] });
  });
});
