import { harborPodLabels } from '@harbor-platform/config';
import { k8s } from 'cdk8s-plus-33';
import { NAMESPACE_NAME_LABEL } from './security.js';

/** Building blocks of the platform's NetworkPolicies: peers by namespace name and pod labels. */

export type Peer = k8s.NetworkPolicyPeer;
export type HarborComponent = Parameters<typeof harborPodLabels>[0];

export const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/** Pods with these labels in the named namespace. */
export function pods(namespace: string, labels: Record<string, string>): Peer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: labels } };
}

/** Harbor pods of the given components (the chart's `component` label). */
export function harborPods(namespace: string, components: HarborComponent[]): Peer {
  const { component: _, ...common } = harborPodLabels('core');
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    podSelector: { matchLabels: common, matchExpressions: [{ key: 'component', operator: 'In', values: components }] },
  };
}

/** Addresses in a CIDR block (outside the cluster's pod selectors). */
export const addresses = (cidr: string, except?: string[]): Peer => ({ ipBlock: { cidr, ...(except ? { except } : {}) } });

/** Anywhere: for destinations known only by DNS name (the directory, upstream registries, the scanner's database). */
export const ANYWHERE = addresses('0.0.0.0/0');

/** Name resolution through the cluster's DNS (CoreDNS, label `k8s-app: kube-dns`). */
export const DNS: k8s.NetworkPolicyEgressRule = {
  to: [pods('kube-system', { 'k8s-app': 'kube-dns' })],
  ports: [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ],
};
