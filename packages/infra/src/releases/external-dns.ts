import { EXTERNAL_DNS, externalDnsChart, externalDnsValues, type ExternalDnsSettings } from '@harbor-platform/config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Aws } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct, type IDependable } from 'constructs';
import { HelmRelease } from './helm-release.js';
import type { PlatformCluster } from '../cluster/platform-cluster.js';
import type { PodIdentityRole } from '../cluster/pod-identity-role.js';

/**
 * The environment's ExternalDNS settings (`externalDnsSettings(config, plan)`: the zone by name
 * and ID, Harbor's hostname and namespace, the region, the chart version), and where it runs.
 */
export interface ExternalDnsProps extends ExternalDnsSettings {
  readonly cluster: PlatformCluster;
  /** What must exist first: the Harbor namespace, where the chart puts ExternalDNS's Role. */
  readonly after?: IDependable[];
}

/**
 * ExternalDNS as a Helm release: it writes `harborHostname` into the zone `hostedZoneId`
 * as an alias of the load balancer the AWS Load Balancer Controller made for Harbor's
 * Ingress, so `https://<harborHostname>` answers after the first deploy. Its Pod Identity
 * role may change that one zone, and only Harbor's names in it.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 */
export class ExternalDns extends Construct {
  readonly release: HelmRelease;
  readonly identity: PodIdentityRole;
  /** `arn:<partition>:route53:::hostedzone/<hostedZoneId>`: the only zone the role may touch. */
  readonly hostedZoneArn: string;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    this.identity = props.cluster.addPodIdentityRole('ExternalDnsRole', {
      namespace: EXTERNAL_DNS.namespace,
      serviceAccount: EXTERNAL_DNS.serviceAccount,
      description: `ExternalDNS: Harbor's record in the hosted zone ${props.hostedZone}`,
    });
    this.hostedZoneArn = `arn:${Aws.PARTITION}:route53:::hostedzone/${props.hostedZoneId}`;
    for (const statement of route53Statements(this.hostedZoneArn, props.harborHostname)) this.identity.role.addToPrincipalPolicy(statement);
    NagSuppressions.addResourceSuppressions(
      this.identity.role,
      [{ id: 'AwsSolutions-IAM5', reason: 'route53:ListHostedZones has no resource-level permission (IAM needs "*"); ExternalDNS lists the zones to find its hostedZoneId, and may change records of that zone only.', appliesTo: ['Resource::*'] }],
      true,
    );

    this.release = new HelmRelease(this, 'Release', {
      cluster: props.cluster.cluster,
      chart: externalDnsChart(props.chartVersion),
      release: EXTERNAL_DNS.release,
      namespace: EXTERNAL_DNS.namespace,
      // The TXT registry's owner: the cluster's own name, as EKS knows it.
      values: externalDnsValues(props, { clusterName: props.cluster.cluster.clusterName }),
    });
    this.release.node.addDependency(this.identity.association, ...(props.after ?? []));
  }
}

/**
 * What ExternalDNS's AWS provider calls with our flags (no zone tag filter, so no
 * ListTagsForResources): it lists the account's zones and keeps the one of
 * `--zone-id-filter`, reads that zone's records, and changes them. The changes are held
 * to Harbor's names: the alias (A, and AAAA for a dual-stack load balancer; CNAME where
 * no alias applies) and the TXT registry's record per type (`a-<name>`, `aaaa-<name>`,
 * `cname-<name>`), so a shared zone's other records stay out of reach.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
function route53Statements(zoneArn: string, hostname: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ChangeHarborRecordsOfTheZone',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zoneArn],
      conditions: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [hostname, ...['a', 'aaaa', 'cname'].map((type) => `${type}-${hostname}`)],
        },
      },
    }),
    new iam.PolicyStatement({ sid: 'ReadTheZone', actions: ['route53:ListResourceRecordSets'], resources: [zoneArn] }),
    new iam.PolicyStatement({ sid: 'FindTheZone', actions: ['route53:ListHostedZones'], resources: ['*'] }),
  ];
}
