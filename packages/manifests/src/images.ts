import { imageReference, type EnvironmentPlan } from '@harbor-platform/config';

/**
 * The image references the charts put in their pods: the MinIO server's and the ops CLI's
 * (registry-data backup, settings reload). The CDK app passes `<repositoryUri>@<digest token>`
 * for a built image (the digest is a CloudFormation reference to its SSM parameter, resolved at
 * deploy time); without it, the plan's reference stands in (an external image as configured,
 * or the built image's repository with the parameter's name in place of the digest).
 */
export interface PlatformImageRefs {
  readonly minio: string;
  readonly ops: string;
}

/** The references without deploy-time digests (`imageReference` of plan.images). */
export function planImageRefs(plan: EnvironmentPlan): PlatformImageRefs {
  return { minio: imageReference(plan.images.minio), ops: imageReference(plan.images.ops) };
}
