import { externalDnsChart } from './charts.js';
import { EXTERNAL_DNS } from './names.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/** What the ExternalDNS values need besides the config. */
export interface ExternalDnsContext {
  /**
   * The EKS cluster's name (in the CDK app, the cluster construct's own `clusterName`):
   * the TXT registry's owner ID, so another cluster writing to the zone never takes over
   * this cluster's records, nor this one theirs.
   */
  readonly clusterName: string;
}

/**
 * Values of the ExternalDNS chart (the version `externalDnsChart(config)` pins): the AWS
 * provider, limited to `dns.hostedZone` by name and by ID, reading the Harbor namespace's
 * Ingress (the Harbor chart exposes Harbor through an Ingress the AWS Load Balancer
 * Controller turns into an ALB) and writing an alias record of `dns.harborHostname` to it.
 *
 * `policy: upsert-only`: ExternalDNS creates and updates records but never deletes one.
 * The zone may be shared (prod's is the organisation's own `example.com`): `sync` would
 * delete every record this cluster's TXT registry claims as soon as the Ingress is gone
 * for a moment (a Helm upgrade that replaces it, a restore), taking Harbor's name off the
 * internet until the next loop. Stale records are left for a person to remove.
 *
 * Credentials come from EKS Pod Identity (the CDK app associates the service account
 * with a role), so the service account carries no role annotation.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 * @see https://kubernetes-sigs.github.io/external-dns/latest/charts/external-dns/
 */
export function externalDnsValues(config: EnvironmentConfig, context: ExternalDnsContext): Record<string, unknown> {
  externalDnsChart(config);
  const { hostedZone, hostedZoneId } = config.dns;
  return {
    provider: { name: 'aws' },
    // The Harbor chart's expose.type is ingress: its Ingress carries the hostname.
    sources: ['ingress'],
    // Only the Harbor namespace: a Role there instead of a ClusterRole over every Ingress.
    namespaced: true,
    sourceNamespace: config.harbor.namespace,
    policy: 'upsert-only',
    registry: 'txt',
    txtOwnerId: context.clusterName,
    domainFilters: [hostedZone],
    // The zone ID as well: another zone of the same name (a private one, say) stays untouched.
    extraArgs: { 'zone-id-filter': [hostedZoneId] },
    serviceAccount: { create: true, name: EXTERNAL_DNS.serviceAccount },
    // Route 53 is global, but the SDK needs a region; IMDS (one hop) cannot tell the pod.
    env: [{ name: 'AWS_DEFAULT_REGION', value: config.aws.region }],
  };
}
