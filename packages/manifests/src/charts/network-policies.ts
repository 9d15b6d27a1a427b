import { MINIO_API_PORT, type EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { HARBOR_REGISTRY_PORT } from './registry-backup.js';
import { minioLabels, PROVISIONING_LABELS, REGISTRY_BACKUP_LABELS, type MinioServicePlan } from '../minio/labels.js';
import { addHarborPolicies, type HarborPolicySettings } from '../private/harbor-network-policies.js';
import { DNS, harborPods, pods, tcp } from '../private/network-peers.js';
import { NAMESPACE_NAME_LABEL } from '../private/security.js';

export interface NetworkPolicyChartProps extends HarborPolicySettings {
  /** The namespaces (`names.namespaces`), the VPC's range, which Harbor stores run, and MinIO's Service (`minio`). */
  readonly plan: HarborPolicySettings['plan'] & MinioServicePlan & { readonly minio: Pick<EnvironmentPlan['minio'], 'namespace'> };
}

/** The EKS Pod Identity agent, on every node's link-local address. */
export const POD_IDENTITY_AGENT = '169.254.170.23/32';

/**
 * Who may talk to MinIO. The MinIO namespace denies all traffic by default; the S3
 * API (9000) admits only Harbor's registry and core, the provisioning Job, the
 * registry-data backup and Velero, plus the servers themselves (erasure-set
 * traffic). Nothing reaches the console port: administrators port-forward.
 * The backup CronJob's egress is limited to DNS, MinIO, Harbor's registry (for the
 * inventory) and HTTPS outside the VPC (S3; a NetworkPolicy cannot name S3's
 * addresses, so the VPC's own range is what it excludes), plus the Pod Identity
 * agent for its AWS credentials. Harbor's namespace denies by default too, with each
 * component's paths allowed (see `addHarborPolicies`).
 */
export class NetworkPolicyChart extends Chart {
  constructor(scope: Construct, id: string, props: NetworkPolicyChartProps) {
    super(scope, id);
    const plan = props.plan;
    const minioNs = plan.minio.namespace;
    const harborNs = plan.names.namespaces.harbor;
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
              { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: plan.names.namespaces.velero } } },
            ],
            ports: [tcp(MINIO_API_PORT)],
          },
        ],
        egress: [{ to: [minioServers], ports: [tcp(MINIO_API_PORT)] }, DNS],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'MinioProvisioning', {
      metadata: { name: 'minio-provisioning', namespace: minioNs },
      spec: {
        podSelector: { matchLabels: { ...PROVISIONING_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ to: [minioServers], ports: [tcp(MINIO_API_PORT)] }, DNS],
      },
    });

    addHarborPolicies(this, props, { minioServers, registryBackup: pods(harborNs, REGISTRY_BACKUP_LABELS) });

    new k8s.KubeNetworkPolicy(this, 'RegistryBackup', {
      metadata: { name: 'registry-backup', namespace: harborNs },
      spec: {
        podSelector: { matchLabels: { ...REGISTRY_BACKUP_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [minioServers], ports: [tcp(MINIO_API_PORT)] },
          { to: [harborPods(harborNs, ['registry'])], ports: [tcp(HARBOR_REGISTRY_PORT)] },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [plan.network.vpcCidr] } }], ports: [tcp(443)] },
          { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [tcp(80)] },
          DNS,
        ],
      },
    });
  }
}
