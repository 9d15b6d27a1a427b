import { imageReference, type BuiltImagePlan, type ImagePlan, type ImagesPlan, type PlatformImageName, type PlatformImageRefs } from '@harbor-platform/config';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { RemovalPolicy, Stack } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';

export interface PlatformImageRepositoriesProps {
  /** `plan.images`: which images the platform builds (their repositories and digest parameters) and the Docker Hub cache. */
  readonly images: ImagesPlan;
  /** The GitHub deploy role: pushes the built images and writes their digest parameters, nothing else of ECR or SSM. */
  readonly deployRole: iam.IRole;
  /**
   * Roles that may read the digest parameters (`ssm:GetParameter` on exactly those): the
   * operations role, whose drift compares the manifests with the images the last deploy ran.
   * A digest is not a secret; the parameters hold nothing else.
   * @default none
   */
  readonly digestReaders?: readonly iam.IRole[];
  /**
   * Images kept per repository (lifecycle rule): a rollback can go back this many builds.
   * @default DEFAULTS.images.keptImages
   */
  readonly keptImages?: number;
  /**
   * Qualifier of the CDK bootstrap stack whose deploy role creates the platform stack's change
   * sets: CloudFormation reads the digest parameters with that role's credentials.
   * @default DEFAULTS.github.bootstrapQualifier
   */
  readonly bootstrapQualifier?: string;
}

/**
 * The ECR side of the images of one environment, in the stack that exists before the platform
 * stack deploys (the `-github` stack):
 * - a private repository per image the platform builds (`plan.images.<name>.built`): immutable
 *   tags (a tag is the commit that built it), scan on push, a lifecycle rule keeping the last
 *   `keptImages`; retained when the stack goes (running pods still pull from it);
 * - the deploy role may push to exactly those repositories and put exactly their digest
 *   parameters (`/harbor-platform/<env>/images/<name>/digest`, written by the build step and
 *   created by it on the first run: no value is invented for them here);
 * - the CDK bootstrap deploy role may read those parameters: CloudFormation resolves the
 *   platform stack's SSM parameters with the credentials of whoever creates the change set;
 * - a pull-through cache rule for Docker Hub (`registry-1.docker.io`) under `<env>/docker-hub`,
 *   with the pre-existing credential secret `ecr-pullthroughcache/...` (a First-deploy
 *   prerequisite: a Docker Hub access token, JSON `{"username","accessToken"}`).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 */
export class PlatformImageRepositories extends Construct {
  /** The repositories of the built images, by image name. */
  readonly repositories: Partial<Record<PlatformImageName, ecr.Repository>> = {};
  readonly dockerHubCache: ecr.CfnPullThroughCacheRule;

  constructor(scope: Construct, id: string, props: PlatformImageRepositoriesProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const keptImages = props.keptImages ?? DEFAULTS.images.keptImages;
    const built = [props.images.minio, props.images.ops].filter((i): i is BuiltImagePlan => i.built);

    for (const image of built) {
      const repository = new ecr.Repository(this, `${image.name}Repository`, {
        repositoryName: image.repositoryName,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        imageScanOnPush: true,
        lifecycleRules: [{ description: `Keep the last ${keptImages} builds`, maxImageCount: keptImages }],
        // Pods of the running platform pull from it: deleting the stack must not delete the images.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      repository.grantPullPush(props.deployRole);
      this.repositories[image.name] = repository;
    }

    const parameterArns = built.map((image) => `arn:${partition}:ssm:${region}:${account}:parameter${image.digestParameter}`);
    if (parameterArns.length > 0) {
      props.deployRole.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'WriteImageDigests',
        actions: ['ssm:PutParameter'],
        resources: parameterArns,
      }));
      for (const reader of props.digestReaders ?? []) {
        reader.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadDeployedImageDigests', actions: ['ssm:GetParameter'], resources: parameterArns }));
      }
      const qualifier = props.bootstrapQualifier ?? DEFAULTS.github.bootstrapQualifier;
      const cdkDeployRole = iam.Role.fromRoleName(this, 'CdkDeployRole', `cdk-${qualifier}-deploy-role-${account}-${region}`);
      cdkDeployRole.attachInlinePolicy(new iam.Policy(this, 'ReadImageDigests', {
        statements: [new iam.PolicyStatement({ sid: 'ReadImageDigests', actions: ['ssm:GetParameters', 'ssm:GetParameter'], resources: parameterArns })],
      }));
    }

    const hub = props.images.caches.dockerHub;
    this.dockerHubCache = new ecr.CfnPullThroughCacheRule(this, 'DockerHubCache', {
      ecrRepositoryPrefix: hub.prefix,
      upstreamRegistry: hub.upstreamRegistry,
      upstreamRegistryUrl: hub.upstreamRegistryUrl,
      // The partial ARN (no random suffix): the secret is made by a person before the first deploy.
      credentialArn: `arn:${partition}:secretsmanager:${region}:${account}:secret:${hub.credentialSecret}`,
    });

    // grantPullPush adds ecr:GetAuthorizationToken on "*": the action has no resource (the login token is registry-wide).
    NagSuppressions.addResourceSuppressions(props.deployRole, [{
      id: 'AwsSolutions-IAM5',
      reason: 'ecr:GetAuthorizationToken has no resource-level permission (it returns the registry login); pushes are limited to the built images\' repositories.',
      appliesTo: ['Resource::*'],
    }], true);
  }
}

/** The node role's part of the Docker Hub cache: ECR creates a cached repository and imports an image on a node's first pull. */
export function allowPullThroughCache(nodeRole: iam.IRole, images: ImagesPlan): void {
  const stack = Stack.of(nodeRole);
  const cached = `arn:${stack.partition}:ecr:${stack.region}:${stack.account}:repository/${images.caches.dockerHub.prefix}/*`;
  nodeRole.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'PullThroughDockerHubCache',
    actions: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
    resources: [cached],
  }));
  NagSuppressions.addResourceSuppressions(nodeRole, [{
    id: 'AwsSolutions-IAM5',
    reason: 'The cache creates one repository per upstream image under the environment\'s prefix, named only when first pulled: the wildcard is that prefix.',
    appliesTo: [`Resource::${cached}`],
  }], true);
}

/**
 * The MinIO and ops image references the platform stack's manifests run: an external image as
 * configured, or `<repositoryUri>@<digest>` where the digest is the deploy-time value of the
 * image's SSM parameter (a CloudFormation parameter of type `AWS::SSM::Parameter::Value<String>`,
 * so synth needs no AWS call), written by the deploy job's build step just before.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types
 */
export function deployedImageRefs(scope: Construct, images: ImagesPlan): PlatformImageRefs {
  const ref = (p: ImagePlan) => imageReference(p, p.built ? ssm.StringParameter.valueForStringParameter(scope, p.digestParameter) : undefined);
  return { minio: ref(images.minio), ops: ref(images.ops) };
}
