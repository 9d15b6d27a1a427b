/**
 * The public surface of @harbor-platform/config: what the other packages, the scripts and the tests
 * import. Add a name here when a consumer needs it; a module's other exports stay internal.
 */
export { ConfigError, PlanError } from './errors.js';
export {
  CLOUDFORMATION_STACK_NAME,
  DNS_1123_LABEL,
  EKS_CLUSTER_NAME,
  GITHUB_OIDC_PROVIDER_ARN,
  GITHUB_OWNER,
  GITHUB_REPO,
  IAM_ROLE_ARN,
  IAM_ROLE_NAME,
  PLAIN_JSON_KEY,
  POSTGRES_IDENTIFIER,
  S3_BUCKET_NAME,
  SECRETS_MANAGER_NAME,
} from './validators.js';
export { type EnvironmentConfig, environmentSchema } from './schema/environment.js';
export { KNOWN_DEFAULT_SECRETS } from './schema/common.js';
export { formatProblem, type Problem, type Warning } from './problems.js';
export { environmentFile, findRepoRoot, listEnvironments, loadEnvironmentFile, loadEnvironmentText, type LoadResult } from './load.js';
export { symmetricPoolDrives, writesSurviveOffline } from './erasure.js';
export { MINIO_API_PORT, MINIO_CONSOLE_PORT } from './endpoints.js';
export { distributionConfig, registryStorage } from './registry.js';
export { type EnvironmentPlan, type MinioPoolPlan, type MinioStatefulSetPlan, type NodeGroupPlan, PLAN_FORMAT_VERSION, planEnvironment } from './plan.js';
export {
  type ExternalStoreOutput,
  type GithubStackOutput,
  imageDigestParameterName,
  imageRepositoryName,
  OPERATIONS_ENVIRONMENT_SUFFIX,
  PLATFORM_IMAGE_NAMES,
  planNames,
  type PlanNames,
  type PlatformImageName,
  type PlatformStackOutput,
} from './names.js';
export { harborCron, harborCronError, harborGcSchedule, type HarborGcSchedule } from './harbor-gc.js';
export { type GithubPlan, planGithub } from './github.js';
export { type PreexistingSecret, preexistingSecrets, type StackSecret, stackSecrets } from './secrets.js';
export { type GithubRoleKind, ROLE_WORKFLOWS } from './github-identity.js';
export { longestGapMinutes, ttlHours } from './backup-rpo.js';
export { planMarkdown, planPhrases } from './plan-markdown.js';
export { SECURITY_FIX_RELEASE } from './minio-image.js';
export { type RenderedObject } from './rendered-object.js';
export { type BuiltImagePlan, type ImagePlan, imageReference, type ImagesPlan, planImageRefs, planImages, type PlatformImageRefs } from './images.js';
export { storageClassNames } from './rules/workloads.js';
export { environmentJsonSchema } from './json-schema.js';
export { SUPPORTED_KUBERNETES_VERSIONS } from './rules/aws.js';
export { planMinioPools } from './minio-pools.js';
export { azCapacity, podsNeedingOwnNodePerAz } from './capacity.js';
export { TESTED_VERSIONS, testedVersionsMarkdown, untestedVersion } from './versions.js';
export { stateTiers, zonalState } from './state-tiers.js';
export { type Capability, HARBOR_STATELESS_TIERS, planAvailability } from './availability.js';
export { instanceSize, nodeAllocatable } from './node-allocatable.js';
export { statefulSetChanges } from './statefulset-changes.js';
export { crossEnvironmentProblems, type EnvironmentFile } from './rules/cross-environment.js';
// The Helm values of the charts the platform installs (their folder's index names its public part).
export * from './helm-values/index.js';
