import { GetHostedZoneCommand, ListHostedZonesByNameCommand, type HostedZone } from '@aws-sdk/client-route-53';
import { awsFailure, isAwsError } from '../aws-errors.js';
import { finding, type PreflightCheck } from '../check.js';

const NAME = 'hosted-zone';

/** Route 53 writes names fully qualified and IDs as `/hostedzone/<id>`. */
const fqdn = (name: string) => (name.endsWith('.') ? name : `${name}.`).toLowerCase();
const bareId = (id: string | undefined) => (id ?? '').replace(/^\/hostedzone\//, '');

/**
 * The Route 53 hosted zone `dns.hostedZoneId` exists, is public (ExternalDNS writes Harbor's
 * record there for the internet to resolve) and carries the name `dns.hostedZone`
 * (GetHostedZone). When it does not, the zone of that name (ListHostedZonesByName) gives the
 * ID to set.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZone.html
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html
 */
export const hostedZoneCheck: PreflightCheck = {
  name: NAME,
  title: 'the hosted zone dns.hostedZoneId exists, is public and is dns.hostedZone',
  needs: 'aws',
  async run({ config, aws }) {
    const { hostedZone: zone, hostedZoneId: id } = config.dns;
    const create = `aws route53 create-hosted-zone --name ${zone} --caller-reference harbor-platform-${config.name}-$(date +%s), then delegate ${zone} to its name servers in the parent zone`;
    /** The public zones named `dns.hostedZone`, for the fix line; undefined when that lookup is refused. */
    const namedZones = async (): Promise<HostedZone[] | undefined> => {
      try {
        const page = await aws.route53.send(new ListHostedZonesByNameCommand({ DNSName: zone, MaxItems: 10 }));
        return (page.HostedZones ?? []).filter((z) => fqdn(z.Name ?? '') === fqdn(zone) && !z.Config?.PrivateZone);
      } catch {
        return undefined;
      }
    };
    const setIdFix = async () => {
      const zones = await namedZones();
      if (zones?.length) return `set dns.hostedZoneId to ${zones.map((z) => bareId(z.Id)).join(' or ')}`;
      return zones ? `${create}, and set dns.hostedZoneId to its ID` : `aws route53 list-hosted-zones-by-name --dns-name ${zone} gives the ID to set`;
    };
    let hosted: HostedZone | undefined;
    try {
      hosted = (await aws.route53.send(new GetHostedZoneCommand({ Id: bareId(id) }))).HostedZone;
    } catch (err) {
      if (isAwsError(err, 'NoSuchHostedZone')) return [finding(NAME, 'missing', `dns.hostedZoneId ${id} does not exist in account ${config.aws.account}`, await setIdFix())];
      return [awsFailure(NAME, `dns.hostedZoneId ${id}`, 'route53:GetHostedZone', err)];
    }
    const named = hosted?.Name ?? '';
    if (fqdn(named) !== fqdn(zone)) {
      return [finding(NAME, 'missing', `dns.hostedZoneId ${id} is the zone ${named.replace(/\.$/, '')}, not dns.hostedZone ${zone}`, await setIdFix())];
    }
    if (hosted?.Config?.PrivateZone) {
      return [finding(NAME, 'missing', `dns.hostedZoneId ${id} (${zone}) is a private zone: Harbor's record must resolve outside the VPC`, await setIdFix())];
    }
    return [finding(NAME, 'ok', `dns.hostedZoneId ${id} is the public zone ${zone}`)];
  },
};
