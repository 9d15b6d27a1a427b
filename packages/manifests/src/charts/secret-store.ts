import { CLUSTER_SECRET_STORE, type EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ClusterSecretStore } from '../private/external-secrets.js';

export interface SecretStoreChartProps {
  /** `aws.region`, the Harbor and MinIO namespaces (`names.namespaces`) and their drill copies (`drill.namespaces`). */
  readonly plan: Pick<EnvironmentPlan, 'aws' | 'names' | 'drill'>;
}

/**
 * The ClusterSecretStore every ExternalSecret reads through: AWS Secrets Manager in
 * the environment's region, usable only from the Harbor and MinIO namespaces and
 * their restore-drill copies (a restored ExternalSecret then syncs the same values).
 * Needs the External Secrets Operator (its CRDs) installed first.
 */
export class SecretStoreChart extends Chart {
  readonly storeName = CLUSTER_SECRET_STORE;

  constructor(scope: Construct, id: string, props: SecretStoreChartProps) {
    super(scope, id);
    const plan = props.plan;
    const namespaces = plan.names.namespaces;
    new ClusterSecretStore(this, 'Store', {
      metadata: { name: CLUSTER_SECRET_STORE },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: plan.aws.region } },
        conditions: [{ namespaces: [namespaces.harbor, namespaces.minio, ...plan.drill.namespaces] }],
      },
    });
  }
}
