import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * kubectl (and helm) for the cluster's kubectl handler, by Kubernetes minor.
 * kubectl must be within one minor of the cluster; each layer is a separate
 * package (`@aws-cdk/lambda-layer-kubectl-vXY`), so only the minors the
 * environments use are installed. Upgrading a cluster one minor at a time
 * (EKS allows no skips) means installing the next layer beside this one.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html
 */
const LAYERS: Record<string, (scope: Construct, id: string) => ILayerVersion> = {
  1.35: (scope, id) => new KubectlV35Layer(scope, id),
};

export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(LAYERS);

/** The kubectl layer for `version`, or undefined when no layer package is installed for it. */
export function kubectlLayer(scope: Construct, id: string, version: string): ILayerVersion | undefined {
  return LAYERS[version]?.(scope, id);
}
