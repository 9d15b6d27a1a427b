import { EXTERNAL_DNS, HARBOR_RELEASE, VELERO_RELEASE } from './helm-values/names.js';
import type { EnvironmentConfig } from './schema/environment.js';

/**
 * Suffix of the GitHub environment whose jobs run drift and the restore drill (smoke runs
 * in deploy.yml with the deploy role: it logs in with Harbor's admin password, which this role cannot read).
 * It has no required reviewers, so a nightly drill of prod never waits for a human;
 * the role it can assume changes nothing outside the drill (packages/infra
 * GithubOperationsRole). Deploys and restores stay in `github.environment`.
 */
export const OPERATIONS_ENVIRONMENT_SUFFIX = '-operations';

/**
 * Every name derived from an environment, in one place: the CDK app names its stacks and
 * resources with these, the workflows and the ops commands find them by the same names (no
 * lookup, no second derivation). Part of `plan.json` as `names`.
 */
export interface PlanNames {
  /**
   * The CloudFormation stacks, by name.
   * - `platform`: network, cluster, storage, secrets, the releases; the deploy workflow deploys it.
   * - `github`: the GitHub OIDC roles, which an administrator deploys once by hand (the pipeline
   *   cannot create the role it runs as); the deploy workflow updates it afterwards.
   */
  readonly stacks: { readonly platform: string; readonly github: string };
  /** The EKS cluster (`aws eks update-kubeconfig --name`). */
  readonly cluster: string;
  /** Prefix of the platform stack's CloudFormation export names. */
  readonly exportPrefix: string;
  /**
   * The CloudFormation export name of each stack output (`<exportPrefix>-<output in kebab case>`),
   * so another stack or an operator's `aws cloudformation list-exports` finds it by a name the plan
   * states. `DatabaseEndpoint` and `RedisAddress` are there only with an external store
   * (`harbor.database.type`, `harbor.redis.type`), the outputs the stack has then.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
   */
  readonly exports: {
    readonly platform: Readonly<Record<PlatformStackOutput, string>> & Readonly<Partial<Record<ExternalStoreOutput, string>>>;
    readonly github: Readonly<Record<GithubStackOutput, string>>;
  };
  /**
   * The workflow roles' cluster access, by what it is for: `operations` is the GitHub operations
   * role's (smoke, drift, the drill), `restore` the GitHub deploy role's (restores run with it,
   * behind the environment's reviewers). Each names its IAM `role` (one of `roles`), the
   * Kubernetes `group` its EKS access entry puts it in, and the Roles, ClusterRole and bindings
   * of that group (`rbac`); `operations` also the admission policies that confine its writes
   * (`drillGuard`, `dryRunOnly`) and the RBAC of `kubectl diff` (`diff`). The Kubernetes names
   * are the same in every environment (one cluster each).
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
   */
  readonly clusterAccess: {
    readonly operations: {
      readonly role: string;
      readonly group: string;
      readonly rbac: string;
      readonly drillGuard: string;
      readonly dryRunOnly: string;
      readonly diff: string;
    };
    readonly restore: { readonly role: string; readonly group: string; readonly rbac: string };
  };
  /** The IAM roles GitHub Actions assumes (`harbor-platform-<env>-github-<purpose>`), stable so a workflow and the stack agree. */
  readonly roles: { readonly githubDeploy: string; readonly githubOperations: string };
  /** GitHub environments: deploys and restores run in `deploy`; smoke, drift and the drill in `operations`. */
  readonly githubEnvironments: { readonly deploy: string; readonly operations: string };
  /** The CodeBuild project of the environment's VPC runners. */
  readonly runnerProject: string;
  /**
   * The CodeConnections connection to GitHub that preflight tells an administrator to create
   * when CodeBuild has no GitHub source credential (the runners' webhook needs one).
   */
  readonly githubConnection: string;
  /** The ConfigMap (in Velero's namespace) with the drill's restore resource modifiers. */
  readonly drillModifiersConfigMap: string;
  /** Kubernetes namespaces: the platform's, and the drill's copies (each its source plus `velero.drill.namespaceSuffix`). */
  readonly namespaces: {
    readonly harbor: string;
    readonly minio: string;
    readonly velero: string;
    readonly externalDns: string;
    readonly drill: { readonly harbor: string; readonly minio: string };
  };
  /** Helm release names: the charts derive object names (`<release>-core`) from them. */
  readonly releases: { readonly harbor: string; readonly velero: string; readonly externalDns: string };
  /**
   * ECR repositories of the images the platform builds, and the SSM parameters holding their
   * digests: only the images it builds (an image the config names, `minio.image` or
   * `registryBackup.image`, has neither).
   */
  readonly images: Readonly<Partial<Record<PlatformImageName, { readonly repository: string; readonly digestParameter: string }>>>;
  /**
   * Where `npm run synth` writes this environment's outputs, relative to `apps/platform/dist/`:
   * the plan, the manifests (one file per cdk8s chart) and the Helm values.
   */
  readonly outputs: { readonly dir: string; readonly plan: string; readonly manifests: string; readonly values: string };
}

/** The platform stack's exported outputs (packages/infra HarborPlatformStack), by logical ID. */
export type PlatformStackOutput =
  | 'ClusterName'
  | 'VpcId'
  | 'GithubRunnerProject'
  | 'BackupBucketName'
  | 'RegistryBackupBucketName'
  | 'VeleroRoleArn'
  | 'RegistryBackupWriterRoleArn'
  | 'RegistryBackupReaderRoleArn';

/** The platform stack's outputs that exist only with an external database or Redis. */
export type ExternalStoreOutput = 'DatabaseEndpoint' | 'RedisAddress';

/** The GitHub stack's exported outputs (packages/infra GithubDeployStack), by logical ID. */
export type GithubStackOutput = 'GithubDeployRoleArn' | 'GithubOperationsRoleArn';

const PLATFORM_STACK_OUTPUTS: readonly PlatformStackOutput[] = [
  'ClusterName',
  'VpcId',
  'GithubRunnerProject',
  'BackupBucketName',
  'RegistryBackupBucketName',
  'VeleroRoleArn',
  'RegistryBackupWriterRoleArn',
  'RegistryBackupReaderRoleArn',
];
const GITHUB_STACK_OUTPUTS: readonly GithubStackOutput[] = ['GithubDeployRoleArn', 'GithubOperationsRoleArn'];

/** `<prefix>-<output in kebab case>`: `ClusterName` → `harbor-platform-dev-cluster-name`. */
function exportNames<K extends string>(prefix: string, outputs: readonly K[]): Record<K, string> {
  const kebab = (id: string) => id.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());
  return Object.fromEntries(outputs.map((id) => [id, `${prefix}-${kebab(id)}`])) as Record<K, string>;
}

/**
 * The workflow roles' cluster access ({@link PlanNames.clusterAccess}): the Kubernetes names are
 * fixed, since each environment has its own cluster.
 */
const clusterAccess = (roles: PlanNames['roles']): PlanNames['clusterAccess'] => ({
  operations: {
    role: roles.githubOperations,
    group: 'harbor-platform:operations',
    rbac: 'harbor-platform-operations',
    drillGuard: 'harbor-platform-operations-drill-guard',
    dryRunOnly: 'harbor-platform-operations-dry-run-only',
    diff: 'harbor-platform-operations-diff',
  },
  restore: { role: roles.githubDeploy, group: 'harbor-platform:restore', rbac: 'harbor-platform-restore' },
});

/** The images the platform builds (images.ts says what each is). */
export type PlatformImageName = 'minio' | 'ops';

export const PLATFORM_IMAGE_NAMES: readonly PlatformImageName[] = ['minio', 'ops'];

/** The image the config names instead of the platform building it (`minio.image`, `registryBackup.image`), if any. */
export function externalImage(c: EnvironmentConfig, name: PlatformImageName): string | undefined {
  return name === 'minio' ? c.minio.image : c.registryBackup.image;
}

/** `harbor-platform-<env>/<name>`: the ECR repository of a built image. */
export function imageRepositoryName(environment: string, name: PlatformImageName): string {
  return `harbor-platform-${environment}/${name}`;
}

/** `/harbor-platform/<env>/images/<name>/digest`: the SSM parameter holding a built image's digest. */
export function imageDigestParameterName(environment: string, name: PlatformImageName): string {
  return `/harbor-platform/${environment}/images/${name}/digest`;
}

/** Every derived name of one validated environment ({@link PlanNames}). */
export function planNames(c: EnvironmentConfig): PlanNames {
  // harbor-platform-<env>: the platform stack, the cluster, and the prefix of every other name of the environment.
  const base = `harbor-platform-${c.name}`;
  const suffix = c.velero.drill.namespaceSuffix;
  const roles = { githubDeploy: `${base}-github-deploy`, githubOperations: `${base}-github-operations` };
  return {
    stacks: { platform: base, github: `${base}-github` },
    cluster: base,
    exportPrefix: base,
    exports: {
      platform: {
        ...exportNames(base, PLATFORM_STACK_OUTPUTS),
        ...exportNames(base, [
          ...(c.harbor.database.type === 'external' ? (['DatabaseEndpoint'] as const) : []),
          ...(c.harbor.redis.type === 'external' ? (['RedisAddress'] as const) : []),
        ]),
      },
      github: exportNames(base, GITHUB_STACK_OUTPUTS),
    },
    clusterAccess: clusterAccess(roles),
    // Stable, so a workflow and the stack agree without a lookup.
    roles,
    githubEnvironments: { deploy: c.github.environment, operations: `${c.github.environment}${OPERATIONS_ENVIRONMENT_SUFFIX}` },
    runnerProject: `${base}-runner`,
    githubConnection: base,
    drillModifiersConfigMap: `harbor-platform-drill-${c.name}`,
    namespaces: {
      harbor: c.harbor.namespace,
      minio: c.minio.namespace,
      velero: c.velero.namespace,
      externalDns: EXTERNAL_DNS.namespace,
      drill: { harbor: `${c.harbor.namespace}${suffix}`, minio: `${c.minio.namespace}${suffix}` },
    },
    releases: { harbor: HARBOR_RELEASE, velero: VELERO_RELEASE, externalDns: EXTERNAL_DNS.release },
    images: Object.fromEntries(
      PLATFORM_IMAGE_NAMES.filter((name) => externalImage(c, name) === undefined).map((name) => [
        name,
        { repository: imageRepositoryName(c.name, name), digestParameter: imageDigestParameterName(c.name, name) },
      ]),
    ),
    outputs: { dir: c.name, plan: `${c.name}/plan.json`, manifests: `${c.name}/manifests`, values: `${c.name}/values` },
  };
}
