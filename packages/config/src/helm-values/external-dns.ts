import { externalDnsChart } from './charts.js';
import { EXTERNAL_DNS } from './names.js';
import type { EnvironmentPlan } from '../plan.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * What ExternalDNS needs of one environment: the slice of its validated config and plan that
 * the release, its values and its IAM role read (`externalDnsSettings(config, plan)`).
 */
export interface ExternalDnsSettings {
  /** `dns.externalDnsChartVersion`: the chart version, one of TESTED_VERSIONS.externalDnsChart. */
  readonly chartVersion: string;
  /** `dns.hostedZone`: the Route 53 zone's DNS name, such as `example.com` (the domain filter). */
  readonly hostedZone: string;
  /** `dns.hostedZoneId` (`plan.harbor.hostedZoneId`): the zone's ID, such as `Z0123456789ABCDEFGHIJ`, the one zone ExternalDNS may change. */
  readonly hostedZoneId: string;
  /** `dns.harborHostname` (`plan.harbor.hostname`): Harbor's name, the one record (with its TXT registry records) ExternalDNS may write. */
  readonly harborHostname: string;
  /** Harbor's namespace (`plan.names.namespaces.harbor`): the only one whose Ingresses ExternalDNS reads. */
  readonly sourceNamespace: string;
  /** `aws.region` (`plan.aws.region`): the region the AWS SDK is given (Route 53 itself is global). */
  readonly region: string;
}

/** The ExternalDNS slice of a validated environment: from its plan, and from `dns` what the plan does not hold. */
export function externalDnsSettings(config: Pick<EnvironmentConfig, 'dns'>, plan: Pick<EnvironmentPlan, 'harbor' | 'names' | 'aws'>): ExternalDnsSettings {
  return {
    chartVersion: config.dns.externalDnsChartVersion,
    hostedZone: config.dns.hostedZone,
    hostedZoneId: plan.harbor.hostedZoneId,
    harborHostname: plan.harbor.hostname,
    sourceNamespace: plan.names.namespaces.harbor,
    region: plan.aws.region,
  };
}

/** What the ExternalDNS values need besides the environment's settings. */
export interface ExternalDnsContext {
  /**
   * The EKS cluster's name (in the CDK app, the cluster construct's own `clusterName`):
   * the TXT registry's owner ID, so another cluster writing to the zone never takes over
   * this cluster's records, nor this one theirs.
   */
  readonly clusterName: string;
}

/**
 * Values of the ExternalDNS chart (the version `externalDnsChart(settings.chartVersion)` pins,
 * refused here too when untested): the AWS provider, limited to `hostedZone` by name and by
 * ID, reading the Harbor namespace's Ingress (the Harbor chart exposes Harbor through an
 * Ingress the AWS Load Balancer Controller turns into an ALB) and writing an alias record of
 * `harborHostname` to it.
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
export function externalDnsValues(settings: Omit<ExternalDnsSettings, 'harborHostname'>, context: ExternalDnsContext): Record<string, unknown> {
  externalDnsChart(settings.chartVersion);
  return {
    provider: { name: 'aws' },
    // The Harbor chart's expose.type is ingress: its Ingress carries the hostname.
    sources: ['ingress'],
    // Only the Harbor namespace: a Role there instead of a ClusterRole over every Ingress.
    namespaced: true,
    sourceNamespace: settings.sourceNamespace,
    policy: 'upsert-only',
    registry: 'txt',
    txtOwnerId: context.clusterName,
    domainFilters: [settings.hostedZone],
    // The zone ID as well: another zone of the same name (a private one, say) stays untouched.
    extraArgs: { 'zone-id-filter': [settings.hostedZoneId] },
    serviceAccount: { create: true, name: EXTERNAL_DNS.serviceAccount },
    // Route 53 is global, but the SDK needs a region; IMDS (one hop) cannot tell the pod.
    env: [{ name: 'AWS_DEFAULT_REGION', value: settings.region }],
  };
}
