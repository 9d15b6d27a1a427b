import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';
import { PropsCheck } from '../errors.js';

const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export interface PodIdentityRoleProps {
  /** The cluster whose Pod Identity agent hands out the role's credentials. */
  readonly cluster: eks.Cluster;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account (created by its chart or manifest, not here). */
  readonly serviceAccount: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: the
 * trust policy admits only the Pod Identity service, and only for this
 * cluster, namespace and service account (the session tags Pod Identity sets),
 * so another association in the account cannot borrow it.
 */
export class PodIdentityRole extends Construct {
  readonly role: iam.Role;
  readonly association: eks.CfnPodIdentityAssociation;
  private readonly props: PodIdentityRoleProps;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.props = props;
    new PropsCheck('PodIdentityRole')
      .require(K8S_NAME.test(props.namespace), `namespace: "${props.namespace}" is not a Kubernetes name: use lower-case letters, digits and hyphens`)
      .require(K8S_NAME.test(props.serviceAccount), `serviceAccount: "${props.serviceAccount}" is not a Kubernetes name: use lower-case letters, digits and hyphens`)
      .throwIfAny();

    this.role = new iam.Role(this, 'Role', {
      description: props.description,
      // Pod Identity passes session tags: the trust allows sts:TagSession beside sts:AssumeRole.
      assumedBy: new iam.SessionTagsPrincipal(
        new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': props.cluster.clusterArn,
            'aws:RequestTag/kubernetes-namespace': props.namespace,
            'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
          },
        }),
      ),
    });
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
    });
    // Credentials are injected when a pod starts: the agent must run first.
    this.association.node.addDependency(props.cluster.eksPodIdentityAgent!);
  }

  /**
   * Creates the service account itself, for charts that only refer to it.
   * @param after what must exist first (its namespace)
   */
  addServiceAccount(...after: IDependable[]): eks.KubernetesManifest {
    const { cluster, namespace, serviceAccount } = this.props;
    const manifest = new eks.KubernetesManifest(this, 'ServiceAccount', {
      cluster,
      overwrite: true,
      manifest: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace, labels: { 'app.kubernetes.io/managed-by': 'harbor-platform' } } }],
    });
    manifest.node.addDependency(this.association, ...after);
    return manifest;
  }
}
