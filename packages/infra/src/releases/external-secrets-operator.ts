import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PlatformCluster } from '../cluster/platform-cluster.js';
import type { PodIdentityRole } from '../cluster/pod-identity-role.js';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface ExternalSecretsOperatorProps {
  readonly cluster: PlatformCluster;
  /** The Secrets Manager secrets the operator may read (and nothing else). */
  readonly secrets: secretsmanager.ISecret[];
  /**
   * Chart version of external-secrets.
   * @default DEFAULTS.externalSecrets.version
   */
  readonly chartVersion?: string;
}

/**
 * External Secrets Operator as a Helm release. Its controller reads the
 * platform's Secrets Manager secrets through a Pod Identity role limited to
 * those secrets, and syncs them into Kubernetes Secrets.
 */
export class ExternalSecretsOperator extends Construct {
  readonly chart: eks.HelmChart;
  readonly identity: PodIdentityRole;

  constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps) {
    super(scope, id);
    const d = DEFAULTS.externalSecrets;
    const chartVersion = props.chartVersion ?? d.version;
    new PropsCheck('ExternalSecretsOperator')
      .require(/^\d+\.\d+\.\d+$/.test(chartVersion), `chartVersion: "${chartVersion}" is not a chart version: write it as "2.9.0"`)
      .require(props.secrets.length > 0, 'secrets: empty: pass the secrets the operator syncs into the cluster')
      .throwIfAny();

    this.identity = props.cluster.addPodIdentityRole('ExternalSecretsRole', {
      namespace: d.namespace,
      serviceAccount: d.serviceAccount,
      description: 'External Secrets Operator: reads the platform secrets',
    });
    // grantRead adds kms:Decrypt on each secret's key as well.
    for (const secret of props.secrets) secret.grantRead(this.identity.role);

    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster.cluster,
      chart: d.chart,
      repository: d.repository,
      version: chartVersion,
      release: d.chart,
      namespace: d.namespace,
      wait: true,
      timeout: DEFAULTS.helm.timeout,
      values: {
        installCRDs: true,
        serviceAccount: { create: true, name: d.serviceAccount },
      },
    });
    this.chart.node.addDependency(this.identity.association);
  }
}
