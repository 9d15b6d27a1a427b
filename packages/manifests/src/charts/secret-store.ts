import { CLUSTER_SECRET_STORE, planEnvironment, type EnvironmentConfig, type EnvironmentPlan } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ClusterSecretStore } from '../external-secrets/index.js';

export interface SecretStoreChartProps {
  readonly config: EnvironmentConfig;
  /** @default planEnvironment(config) */
  readonly plan?: EnvironmentPlan;
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
    const c = props.config;
    const plan = props.plan ?? planEnvironment(c);
    new ClusterSecretStore(this, 'Store', {
      metadata: { name: CLUSTER_SECRET_STORE },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: c.aws.region } },
        conditions: [{ namespaces: [c.harbor.namespace, c.minio.namespace, ...plan.drill.namespaces] }],
      },
    });
  }
}
