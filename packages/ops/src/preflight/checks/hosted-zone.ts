import { GetHostedZoneCommand, ListHostedZonesByNameCommand, type HostedZone } from '@aws-sdk/client-route-53';
import type { EnvironmentConfig } from '@harbor-platform/config';
import { awsFailure, isAwsError } from '../aws-errors.js';
import { finding, type Finding, type PreflightCheck } from '../check.js';

const NAME = 'hosted-zone';

/** `dns.hostedZoneId` where the config has one (a newer schema field; older configs name the zone only). */
function hostedZoneIdOf(config: EnvironmentConfig): string | undefined {
  const id = (config.dns as { hostedZoneId?: unknown }).hostedZoneId;
  return typeof id === 'string' && id ? id : undefined;
}

/** Route 53 writes names fully qualified and IDs as `/hostedzone/<id>`. */
const fqdn = (name: string) => (name.endsWith('.') ? name : `${name}.`).toLowerCase();
const bareId = (id: string | undefined) => (id ?? '').replace(/^\/hostedzone\//, '');
const describe = (z: HostedZone) => `${bareId(z.Id)}${z.Config?.PrivateZone ? ' (private)' : ''}`;

/**
 * The Route 53 hosted zone `dns.hostedZone` exists in the account (ListHostedZonesByName);
 * where the config names `dns.hostedZoneId`, that zone exists and carries that name
 * (GetHostedZone). Without the field, that part is skipped and says so.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZone.html
 */
export const hostedZoneCheck: PreflightCheck = {
  name: NAME,
  title: 'the hosted zone dns.hostedZone exists (and is dns.hostedZoneId where the config names one)',
  needs: 'aws',
  async run({ config, aws }) {
    const zone = config.dns.hostedZone;
    const create = `aws route53 create-hosted-zone --name ${zone} --caller-reference harbor-platform-${config.name}-$(date +%s), then delegate ${zone} to its name servers in the parent zone`;
    const findings: Finding[] = [];
    let zones: HostedZone[];
    try {
      const page = await aws.route53.send(new ListHostedZonesByNameCommand({ DNSName: zone, MaxItems: 10 }));
      zones = (page.HostedZones ?? []).filter((z) => fqdn(z.Name ?? '') === fqdn(zone));
    } catch (err) {
      return [awsFailure(NAME, `dns.hostedZone ${zone}`, 'route53:ListHostedZonesByName', err)];
    }
    if (!zones.length) findings.push(finding(NAME, 'missing', `no hosted zone named ${zone} (dns.hostedZone) in account ${config.aws.account}`, create));
    else findings.push(finding(NAME, 'ok', `${zone}: hosted zone ${zones.map(describe).join(', ')}`));

    const id = hostedZoneIdOf(config);
    if (!id) {
      findings.push(finding(NAME, 'skipped', 'dns.hostedZoneId is not in the config: the zone was found by name only'));
      return findings;
    }
    try {
      const named = (await aws.route53.send(new GetHostedZoneCommand({ Id: bareId(id) }))).HostedZone?.Name ?? '';
      if (fqdn(named) !== fqdn(zone)) {
        findings.push(finding(NAME, 'missing', `dns.hostedZoneId ${id} is the zone ${named.replace(/\.$/, '')}, not dns.hostedZone ${zone}`, `set dns.hostedZoneId to ${zones.length ? bareId(zones[0]!.Id) : `the ID of ${zone}`}`));
      } else {
        findings.push(finding(NAME, 'ok', `dns.hostedZoneId ${id} is ${zone}`));
      }
    } catch (err) {
      if (isAwsError(err, 'NoSuchHostedZone')) findings.push(finding(NAME, 'missing', `dns.hostedZoneId ${id} does not exist`, `set dns.hostedZoneId to ${zones.length ? bareId(zones[0]!.Id) : `the ID of ${zone} once it exists`}`));
      else findings.push(awsFailure(NAME, `dns.hostedZoneId ${id}`, 'route53:GetHostedZone', err));
    }
    return findings;
  },
};
