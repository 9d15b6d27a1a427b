import type { PlanNames } from '@harbor-platform/config';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib/core';
import { Construct, type IDependable } from 'constructs';
import { driftReadActions } from './drift-read-actions.js';
import { addDriftReads } from './github-operations-role.js';
import { WorkflowClusterAccess } from './workflow-cluster-access.js';
import type { IWorkflowAccessCharts, RenderedObject } from '../manifests/manifest-sources.js';

/** The registry-data grants of the workflow roles (BackupStorage). */
export interface IRegistryDataAccess {
  /** Read (and with `write`, write) the registry-data copy. */
  grantRegistryData(role: iam.IRole, write: boolean): void;
}

export interface WorkflowAccessProps {
  /** The cluster whose access entries and RBAC the roles get. */
  readonly cluster: eks.ICluster;
  /** The registry-data copy the drill reads and a restore writes. */
  readonly backups: IRegistryDataAccess;
  /**
   * `plan.names`: the live, Velero and drill namespaces (`namespaces`), the drill's modifier
   * ConfigMap (`drillModifiersConfigMap`), and the GitHub roles' cluster access (`clusterAccess`:
   * each role, its group, RBAC and admission policy names).
   */
  readonly names: Pick<PlanNames, 'namespaces' | 'drillModifiersConfigMap' | 'clusterAccess'>;
  /** What creates the namespaces the RBAC objects live in. */
  readonly namespaces: IDependable;
  /**
   * The objects the drift check compares with `kubectl diff`: the workload charts, as
   * `npm run synth` writes them to dist/<env>/manifests.
   */
  readonly diffObjects: readonly RenderedObject[];
  /** Renders the drill guard, the dry-run-only policy and the diff RBAC (packages/manifests, passed in by the app). */
  readonly charts: IWorkflowAccessCharts;
}

const VELERO = 'velero.io';
const EDIT_POLICY = 'AmazonEKSEditPolicy';

/**
 * What the GitHub workflow roles may do with this stack's resources, attached to the
 * roles by name (they live in the GitHub stack, which an administrator deploys first).
 * Create this last in the stack: the drift reads cover the resource types defined so far.
 *
 * Operations role (smoke, drift, drill; its GitHub environment has no reviewers), nothing
 * that can change the live environment:
 * - S3: read the registry-data copy (the drill's fill and verify run on the runner).
 * - drift: the configuration reads drift detection makes with the caller's credentials.
 * - Kubernetes, drill namespaces only (EKS Edit policy scoped to their names, so it holds
 *   before Velero creates them): read the restored Secrets, port-forward to the restored
 *   MinIO and registry.
 * - Velero's namespace: list Backups, create and watch Restores (a Restore with a
 *   namespace mapping writes only into the drill namespaces: the drill builds it), and
 *   create, replace and delete the drill's modifier ConfigMap (by name, except create).
 * - cluster: get and delete the drill namespaces by name; list, patch and delete
 *   PersistentVolumes (clean-up switches the drill's volumes to Delete). PV names are
 *   generated and a Restore's `create` says nothing of its target, so RBAC cannot
 *   narrow these: a ValidatingAdmissionPolicy on their content does (`charts.drillGuard`,
 *   `clusterAccess.operations.drillGuard`): only volumes claimed from the drill namespaces, only Restores
 *   mapped into them with the drill's modifiers, no hooks, no overwrite, and only the
 *   drill's modifier ConfigMap. Applied before the RBAC, removed after it.
 * - no live Secret: smoke, which logs in as Harbor's admin, runs with the deploy role.
 * - drift (`kubectl diff`): get, list, and dry-run patch and create on exactly the kinds
 *   of the synthesized manifests, in their namespaces; a ValidatingAdmissionPolicy
 *   denies every write of the group that is not a dry run, except the drill's writes
 *   above (WorkflowClusterAccess `diffObjects`).
 *
 * Deploy role (deploys, smoke and restores: behind the environment's required reviewers):
 * a restore deletes and re-creates the live namespaces, so only a job that passed the
 * reviewers may hold those rights; the deploy role already can change everything
 * through CloudFormation, so restoring with it adds no reach to any job.
 * - S3: read and write the registry-data prefix (safety backup, then restore).
 * - Kubernetes: Edit in the live Harbor and MinIO namespaces (Secrets, port-forward),
 *   create Backups and Restores in Velero's namespace, delete those two namespaces.
 */
export class WorkflowAccess extends Construct {
  readonly operations: WorkflowClusterAccess;
  readonly restore: WorkflowClusterAccess;
  /** The admission policy on the content of the operations group's real writes. */
  readonly drillGuard: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: WorkflowAccessProps) {
    super(scope, id);
    const { names, backups, cluster } = props;
    const drillNamespaces = [names.namespaces.drill.harbor, names.namespaces.drill.minio];
    const liveNamespaces = [names.namespaces.harbor, names.namespaces.minio];
    const veleroNamespace = names.namespaces.velero;
    const modifiersConfigMap = names.drillModifiersConfigMap;
    const { operations, restore } = names.clusterAccess;

    const operationsRole = iam.Role.fromRoleName(this, 'OperationsRole', operations.role);
    backups.grantRegistryData(operationsRole, false);
    addDriftReads(operationsRole, driftReadActions(Stack.of(this)), 'DriftReadsOfThePlatformStack');
    this.operations = new WorkflowClusterAccess(this, 'Operations', {
      cluster,
      principalArn: operationsRole.roleArn,
      group: operations.group,
      name: operations.rbac,
      namespacePolicy: { policy: EDIT_POLICY, namespaces: drillNamespaces },
      namespaceRules: {
        [veleroNamespace]: [
          { apiGroups: [VELERO], resources: ['backups'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [VELERO], resources: ['restores'], verbs: ['create', 'get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update', 'delete'], resourceNames: [modifiersConfigMap] },
        ],
      },
      clusterRules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'], resourceNames: drillNamespaces },
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'patch', 'delete'] },
      ],
      after: [props.namespaces],
      diffAccess: { objects: props.diffObjects, charts: props.charts, names: { dryRunOnly: operations.dryRunOnly, diff: operations.diff } },
    });
    const guard = props.charts.drillGuard({
      name: operations.drillGuard,
      group: operations.group,
      drillNamespaces,
      veleroNamespace,
      modifiersConfigMap,
    });
    this.drillGuard = new eks.KubernetesManifest(this, 'OperationsDrillGuard', { cluster, manifest: guard, overwrite: true });
    // The verbs exist only while the policy confines them: created after it, deleted before it.
    this.operations.rbac?.node.addDependency(this.drillGuard);

    const deployRole = iam.Role.fromRoleName(this, 'DeployRole', restore.role);
    deployRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DescribeTheCluster', actions: ['eks:DescribeCluster'], resources: [cluster.clusterArn] }));
    backups.grantRegistryData(deployRole, true);
    this.restore = new WorkflowClusterAccess(this, 'Restore', {
      cluster,
      principalArn: deployRole.roleArn,
      group: restore.group,
      name: restore.rbac,
      namespacePolicy: { policy: EDIT_POLICY, namespaces: liveNamespaces },
      namespaceRules: {
        [veleroNamespace]: [
          { apiGroups: [VELERO], resources: ['backups', 'restores'], verbs: ['create', 'get', 'list', 'watch'] },
        ],
      },
      clusterRules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'], resourceNames: liveNamespaces }],
      after: [props.namespaces],
    });
  }
}

