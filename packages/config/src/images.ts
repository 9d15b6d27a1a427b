import { PlanError } from './errors.js';
import { SECURITY_FIX_RELEASE } from './minio-image.js';
import { externalImage, PLATFORM_IMAGE_NAMES, planNames, type PlanNames, type PlatformImageName } from './names.js';
import type { EnvironmentConfig } from './schema/environment.js';

export { PLATFORM_IMAGE_NAMES, type PlatformImageName };

/**
 * The images the platform runs besides Harbor's and Velero's, and where they come from.
 *
 * - `minio`: the MinIO server (`minio.image`), built from the final community source
 *   (SECURITY_FIX_RELEASE or a later commit, as scripts/local-stack/go-tools.tsv pins it) by
 *   `scripts/images/build minio`;
 * - `ops`: the harbor-platform CLI (`registryBackup.image`), built from this repository by
 *   `scripts/images/build ops`; the registry-data backup and the settings reload run it.
 *
 * When the config leaves the field out (the default), the deploy job builds the image, pushes
 * it to the environment's ECR repository (created by the `-github` stack, which exists before
 * the platform stack deploys) and writes its digest (`sha256:<64 hex>`) to an SSM parameter;
 * the platform stack reads that parameter at deploy time, so the pods run
 * `<repositoryUri>@<digest>` and nobody copies a digest. A config that sets the field runs that
 * external image, which must be pinned by digest (rules/workloads.ts).
 *
 * Every name here is derived once, from the environment's name, account and region: the
 * `-github` stack (repositories, the deploy role's grants), the platform stack (the
 * parameter it reads) and the deploy workflow (`plan --json` `.images`) all read it from here; the names themselves are `plan.names.images`.
 */

/** Per image: the config field that names an external one, and what the build makes. */
export const PLATFORM_IMAGES: Readonly<Record<PlatformImageName, { configPath: string; builtFrom: string }>> = {
  minio: { configPath: 'minio.image', builtFrom: `MinIO server built from the final community source, ${SECURITY_FIX_RELEASE} or later (scripts/images/build minio)` },
  ops: { configPath: 'registryBackup.image', builtFrom: 'the harbor-platform CLI of this repository (scripts/images/build ops)' },
};

/** An image the deploy job builds and pushes to the environment's ECR repository. */
export interface BuiltImagePlan {
  readonly name: PlatformImageName;
  readonly built: true;
  /** ECR repository name: `harbor-platform-<env>/<name>`. */
  readonly repositoryName: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repositoryName>`. */
  readonly repositoryUri: string;
  /** SSM parameter (String) holding the digest the last build pushed, `sha256:<64 hex>`. */
  readonly digestParameter: string;
  readonly builtFrom: string;
}

/** An image the config names, pinned by digest. */
export interface ExternalImagePlan {
  readonly name: PlatformImageName;
  readonly built: false;
  readonly image: string;
}

export type ImagePlan = BuiltImagePlan | ExternalImagePlan;

/** A pull-through cache rule of the environment's ECR registry. */
export interface PullThroughCachePlan {
  /** The rule's `upstreamRegistry` (ECR's name for the upstream). */
  readonly upstreamRegistry: 'docker-hub';
  readonly upstreamRegistryUrl: string;
  /** ECR repository prefix (2 to 30 characters): images are `<registry>/<prefix>/<upstream repository>`. */
  readonly prefix: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`: what replaces `docker.io` in an image. */
  readonly repositoryBase: string;
  /**
   * Secrets Manager secret with the upstream's credentials, JSON `{"username","accessToken"}`;
   * ECR requires the `ecr-pullthroughcache/` prefix. It must exist before the first deploy
   * (a Docker Hub access token is made by a person, not by the stack).
   */
  readonly credentialSecret: string;
}

export interface ImagesPlan {
  readonly minio: ImagePlan;
  readonly ops: ImagePlan;
  /** Docker Hub (the goharbor and velero images) through ECR. */
  readonly caches: { readonly dockerHub: PullThroughCachePlan };
}

/** Longest ECR pull-through cache repository prefix. */
export const PULL_THROUGH_PREFIX_MAX = 30;

/** `<account>.dkr.ecr.<region>.amazonaws.com`. */
export function ecrRegistry(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com`;
}

/** The prefix of one environment's cache of `upstream`: `<env>/docker-hub`. */
export function pullThroughPrefix(environment: string, upstream: PullThroughCachePlan['upstreamRegistry']): string {
  return `${environment}/${upstream}`;
}

/** Where each platform image comes from, and the pull-through caches. */
export function planImages(c: EnvironmentConfig, names: PlanNames = planNames(c)): ImagesPlan {
  const registry = ecrRegistry(c.aws.account, c.aws.region);
  const image = (name: PlatformImageName): ImagePlan => {
    const external = externalImage(c, name);
    if (external !== undefined) return { name, built: false, image: external };
    const named = names.images[name];
    if (!named) throw new PlanError(`names.images.${name}: missing for an image the platform builds: pass the names planNames made of this config`);
    const { repository: repositoryName, digestParameter } = named;
    return {
      name,
      built: true,
      repositoryName,
      repositoryUri: `${registry}/${repositoryName}`,
      digestParameter,
      builtFrom: PLATFORM_IMAGES[name].builtFrom,
    };
  };
  const dockerHubPrefix = pullThroughPrefix(c.name, 'docker-hub');
  return {
    minio: image('minio'),
    ops: image('ops'),
    caches: {
      dockerHub: {
        upstreamRegistry: 'docker-hub',
        upstreamRegistryUrl: 'registry-1.docker.io',
        prefix: dockerHubPrefix,
        repositoryBase: `${registry}/${dockerHubPrefix}`,
        // ECR takes a Docker Hub rule only with credentials.
        credentialSecret: `ecr-pullthroughcache/harbor-platform/${c.name}/docker-hub`,
      },
    },
  };
}

/**
 * The reference a pod runs: the external image, or `<repositoryUri>@<digest>` where `digest`
 * is the deploy-time value of the digest parameter (a CloudFormation token in the CDK app).
 * Without a digest (offline manifests, the plan), the parameter's name stands in for it.
 */
export function imageReference(p: ImagePlan, digest?: string): string {
  if (!p.built) return p.image;
  return `${p.repositoryUri}@${digest ?? `<deploy-time: SSM ${p.digestParameter}>`}`;
}

/**
 * The image references the workload charts put in their pods: the MinIO server's and the ops
 * CLI's (registry-data backup, settings reload). The CDK app passes `<repositoryUri>@<digest token>`
 * for a built image (the digest is a CloudFormation reference to its SSM parameter, resolved at
 * deploy time); without it, the plan's reference stands in ({@link planImageRefs}).
 */
export interface PlatformImageRefs {
  /** The MinIO server's image. */
  readonly minio: string;
  /** The ops CLI's image (registry-data backup, settings reload). */
  readonly ops: string;
}

/**
 * The references without deploy-time digests (`imageReference` of plan.images): an external image
 * as configured, or the built image's repository with the parameter's name in place of the digest.
 */
export function planImageRefs(plan: { readonly images: ImagesPlan }): PlatformImageRefs {
  return { minio: imageReference(plan.images.minio), ops: imageReference(plan.images.ops) };
}
