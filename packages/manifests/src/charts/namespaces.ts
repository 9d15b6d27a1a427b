import type { EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';

export interface NamespacesChartProps {
  /** `names.namespaces`: the Harbor, MinIO and Velero namespaces. */
  readonly plan: Pick<EnvironmentPlan, 'names'>;
  /** `velero.fileSystemBackup`: Velero's node agent then runs privileged in its namespace. */
  readonly fileSystemBackup: boolean;
}

/**
 * Makes the AWS Load Balancer Controller add a readiness gate to every pod of the namespace
 * that is an ALB target: a new pod counts as ready only once the ALB's health check passes,
 * so a rolling update does not take the old pods away before their successors take traffic.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
 */
export const POD_READINESS_GATE_LABEL = { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } as const;

/**
 * The platform's namespaces, created before anything goes into them (service
 * accounts with Pod Identity, synced Secrets, Helm releases). Pod Security Admission:
 * MinIO and Velero's objects run restricted. Harbor is enforced at `baseline` and
 * warned at `restricted`; chart 1.19.1 with our values meets restricted (the chart
 * tests check every rendering at the warn level too). Harbor's namespace, behind the ALB,
 * carries the pod readiness gate label.
 */
export class NamespacesChart extends Chart {
  readonly harbor: string;
  readonly minio: string;
  readonly velero: string;

  constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id);
    const namespaces = props.plan.names.namespaces;
    this.harbor = namespaces.harbor;
    this.minio = namespaces.minio;
    this.velero = namespaces.velero;
    const levels: [string, 'restricted' | 'baseline' | 'privileged'][] = [
      [this.minio, 'restricted'],
      [this.harbor, 'baseline'],
      // Velero's node agent (file-system backup) runs as root on hostPath volumes, which even
      // baseline refuses (its "HostPath Volumes" control): privileged when enabled.
      [this.velero, props.fileSystemBackup ? 'privileged' : 'restricted'],
    ];
    for (const [name, enforce] of levels) {
      new k8s.KubeNamespace(this, name, {
        metadata: {
          name,
          labels: {
            'pod-security.kubernetes.io/enforce': enforce,
            'pod-security.kubernetes.io/warn': 'restricted',
            ...(name === this.harbor ? POD_READINESS_GATE_LABEL : {}),
          },
        },
      });
    }
  }
}
