/**
 * What the constructs of this package need from Kubernetes manifests, declared here so that
 * infra does not depend on the package that renders them (packages/manifests): the CDK app
 * (apps/platform) builds the cdk8s charts and hands them over through these interfaces.
 * A cdk8s `Chart` satisfies {@link IManifestChart} as it is.
 */
import type { PlatformImageRefs, RenderedObject } from '@harbor-platform/config';

// Declared in packages/config, which manifests' diffRules shares; re-exported for this package's constructs.
export type { RenderedObject };

/** Kubernetes objects applied as one manifest (`eks.KubernetesManifest`'s `manifest`). */
export type KubernetesObjects = Record<string, any>[];

/**
 * A set of Kubernetes objects applied as one manifest, such as a cdk8s `Chart`.
 * @see https://cdk8s.io/docs/latest/reference/cdk8s/typescript/#chart
 */
export interface IManifestChart {
  /**
   * `id` names the manifest (unique among the charts handed over together); `dependencies`
   * are the charts that must be applied before this one (cdk8s `chart.addDependency`).
   */
  readonly node: { readonly id: string; readonly dependencies: readonly { readonly node: { readonly id: string } }[] };
  /** The objects, in the order they can be applied. */
  toJson(): any[];
}

/**
 * The charts of what runs in the cluster (PlatformWorkloads applies them). The named charts
 * are those that need something besides another chart (a Helm release, an add-on); each of
 * them is also in `inOrder`.
 */
export interface PlatformWorkloadCharts {
  /** Every chart, in an order they can be applied: each after the charts of its `node.dependencies`. */
  readonly inOrder: readonly IManifestChart[];
  /** Creates the namespaces (with their labels) that everything else lives in. */
  readonly namespaces: IManifestChart;
  /** StorageClasses: need the EBS CSI driver. */
  readonly storage: IManifestChart;
  /** The SecretStore: needs the External Secrets Operator (its CRDs). */
  readonly secretStore: IManifestChart;
  /** Harbor's ExternalSecrets: the Harbor release reads their Secrets. */
  readonly harborSecrets: IManifestChart;
  /** MinIO's bucket and users: Harbor's registry needs them. */
  readonly minioProvisioning: IManifestChart;
  /** NetworkPolicies: mean something only once the VPC CNI's policy agent runs. */
  readonly networkPolicies: IManifestChart;
  /** The registry-data backup: runs against Harbor's registry, with its Pod Identity role. */
  readonly registryBackup: IManifestChart;
  /** Velero's locations and schedules: need the Velero release (its CRDs). */
  readonly velero: IManifestChart;
  /**
   * RBAC of the Harbor settings reload (applied beside the charts, not among `inOrder`: drift
   * diffs those, and a dry run of a Role is refused to whoever does not hold its rules).
   */
  readonly settingsReloadRbac: IManifestChart;
}

/** One RBAC rule, as in a Role or ClusterRole. */
export interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  /** Only these objects (not possible for `create` and `list`). @default every object */
  readonly resourceNames?: string[];
}

/** The writes of a group that are real (not dry runs), as its access policy and RBAC grant them. */
export interface RealWrites {
  /** Namespaces in which an EKS access policy lets the group write. @default none */
  readonly namespaces?: readonly string[];
  /** Rules of the group's Roles, by namespace. @default none */
  readonly namespaceRules?: Readonly<Record<string, readonly RbacRule[]>>;
  /** Rules of the group's ClusterRole. @default none */
  readonly clusterRules?: readonly RbacRule[];
}

/** The admission policy and RBAC that let a group run `kubectl diff` and nothing more (WorkflowClusterAccess). */
export interface IDryRunAccessCharts {
  /**
   * A ValidatingAdmissionPolicy and its binding, both named `name`, denying every write of
   * `group` that is not a server-side dry run, except `realWrites`.
   */
  dryRunOnlyPolicy(props: { readonly group: string; readonly name: string; readonly realWrites: RealWrites }): KubernetesObjects;
  /** Roles and a ClusterRole named `name`, bound to `group`: get, list, patch and create on exactly the kinds of `objects`, in their namespaces. */
  diffAccess(props: { readonly group: string; readonly name: string; readonly objects: readonly RenderedObject[] }): KubernetesObjects;
}

/** What the restore drill's admission policy confines (WorkflowAccess). */
export interface DrillGuardProps {
  /** Name of the policy and its binding. */
  readonly name: string;
  /** The Kubernetes group confined. */
  readonly group: string;
  /** The only targets of its Restores and the only claims of volumes it may change. */
  readonly drillNamespaces: readonly string[];
  /** Velero's namespace: Restores and the modifier ConfigMap live there. */
  readonly veleroNamespace: string;
  /** The only resource modifiers its Restores may use, the only ConfigMap it may write. */
  readonly modifiersConfigMap: string;
}

/** The policies of the GitHub workflow groups (WorkflowAccess). */
export interface IWorkflowAccessCharts extends IDryRunAccessCharts {
  /** A ValidatingAdmissionPolicy and binding on the content of the drill's real writes. */
  drillGuard(props: DrillGuardProps): KubernetesObjects;
}

/**
 * Every Kubernetes manifest of one platform stack, as the CDK app composes them from
 * packages/manifests. The workloads are rendered by the stack, which passes the image
 * references it resolves at deploy time.
 */
export interface IPlatformManifests extends IWorkflowAccessCharts {
  /** The workload charts, running `images`. */
  workloads(images: PlatformImageRefs): PlatformWorkloadCharts;
}
