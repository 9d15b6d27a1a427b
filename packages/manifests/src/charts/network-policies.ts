import { harborPodLabels, MINIO_API_PORT, planEnvironment, type EnvironmentConfig, type EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { minioLabels, PROVISIONING_LABELS, REGISTRY_BACKUP_LABELS } from '../minio/labels.js';
import { NAMESPACE_NAME_LABEL } from '../security.js';
import { HARBOR_REGISTRY_PORT } from './registry-backup.js';

export interface NetworkPolicyChartProps {
  readonly config: EnvironmentConfig;
  /** @default planEnvironment(config) */
  readonly plan?: EnvironmentPlan;
}

/** The EKS Pod Identity agent, on every node's link-local address. */
export const POD_IDENTITY_AGENT = '169.254.170.23/32';

type Peer = k8s.NetworkPolicyPeer;
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/** Pods with these labels in the named namespace. */
function pods(namespace: string, labels: Record<string, string>): Peer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: labels } };
}

/** Harbor pods of the given components (the chart's `component` label). */
function harborPods(namespace: string, components: string[]): Peer {
  const { component: _, ...common } = harborPodLabels('core');
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    podSelector: { matchLabels: common, matchExpressions: [{ key: 'component', operator: 'In', values: components }] },
  };
}

/** DNS through kube-dns only. */
export const KUBE_DNS_EGRESS: k8s.NetworkPolicyEgressRule = {
  to: [pods('kube-system', { 'k8s-app': 'kube-dns' })],
  ports: [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ],
};

/**
 * Who may talk to MinIO. The MinIO namespace denies all traffic by default; the S3
 * API (9000) admits only Harbor's registry and core, the provisioning Job, the
 * registry-data backup and Velero, plus the servers themselves (erasure-set
 * traffic). Nothing reaches the console port: administrators port-forward.
 * The backup CronJob's egress is limited to DNS, MinIO, Harbor's registry (for the
 * inventory) and HTTPS outside the VPC (S3; a NetworkPolicy cannot name S3's
 * addresses, so the VPC's own range is what it excludes), plus the Pod Identity
 * agent for its AWS credentials.
 */
export class NetworkPolicyChart extends Chart {
  constructor(scope: Construct, id: string, props: NetworkPolicyChartProps) {
    super(scope, id);
    const c = props.config;
    const plan = props.plan ?? planEnvironment(c);
    const minioNs = plan.minio.namespace;
    const harborNs = c.harbor.namespace;
    const servers = minioLabels(plan);
    const minioServers = pods(minioNs, servers);

    new k8s.KubeNetworkPolicy(this, 'MinioDefaultDeny', {
      metadata: { name: 'default-deny', namespace: minioNs },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    new k8s.KubeNetworkPolicy(this, 'MinioServers', {
      metadata: { name: `${plan.minio.serviceName}-servers`, namespace: minioNs },
      spec: {
        podSelector: { matchLabels: servers },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              minioServers,
              harborPods(harborNs, ['core', 'registry']),
              pods(minioNs, PROVISIONING_LABELS),
              pods(harborNs, REGISTRY_BACKUP_LABELS),
              { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: c.velero.namespace } } },
            ],
            ports: [tcp(MINIO_API_PORT)],
          },
        ],
        egress: [{ to: [minioServers], ports: [tcp(MINIO_API_PORT)] }, KUBE_DNS_EGRESS],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'MinioProvisioning', {
      metadata: { name: 'minio-provisioning', namespace: minioNs },
      spec: {
        podSelector: { matchLabels: { ...PROVISIONING_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ to: [minioServers], ports: [tcp(MINIO_API_PORT)] }, KUBE_DNS_EGRESS],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'RegistryBackup', {
      metadata: { name: 'registry-backup', namespace: harborNs },
      spec: {
        podSelector: { matchLabels: { ...REGISTRY_BACKUP_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [minioServers], ports: [tcp(MINIO_API_PORT)] },
          { to: [harborPods(harborNs, ['registry'])], ports: [tcp(HARBOR_REGISTRY_PORT)] },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [c.network.vpcCidr] } }], ports: [tcp(443)] },
          { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [tcp(80)] },
          KUBE_DNS_EGRESS,
        ],
      },
    });
  }
}
