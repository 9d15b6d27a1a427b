import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, Stack, Tags, Token, Validations } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck, ValidationError } from '../errors.js';

export interface PlatformNetworkProps {
  /**
   * The Availability Zones by name (such as `ap-northeast-2a`). Naming them
   * keeps synthesis free of AWS lookups. One public and one private subnet each.
   */
  readonly availabilityZones: string[];
  /** IPv4 CIDR of the VPC, /16 to /24. */
  readonly vpcCidr: string;
  /** NAT gateways: 1 (cheaper) up to one per AZ (egress survives an AZ loss). */
  readonly natGateways: number;
  /**
   * How long VPC flow logs are kept in CloudWatch Logs.
   * @default DEFAULTS.network.flowLogRetention (one year)
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * One VPC over the named AZs: public subnets for the load balancer and the NAT
 * gateways, private subnets for nodes and data services, a gateway endpoint for
 * S3 and interface endpoints for ECR and STS (image pulls and Pod Identity
 * credentials stay off the NAT), and flow logs of all traffic.
 */
export class PlatformNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /**
   * The only security group open to the internet: HTTPS (443) to the
   * internet-facing load balancer of Harbor's ingress.
   */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  readonly availabilityZones: readonly string[];

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    const prefix = validate(this, props);
    const flowLogRetention = props.flowLogRetention ?? DEFAULTS.network.flowLogRetention;
    const publicMask = Math.min(DEFAULTS.network.smallestSubnetMask, prefix + DEFAULTS.network.publicSubnetExtraBits);
    this.availabilityZones = [...props.availabilityZones];

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: flowLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: props.natGateways,
      restrictDefaultSecurityGroup: true,
      // Private subnets take the rest of the space evenly: pods get VPC addresses.
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: publicMask, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL },
      },
    });
    // One group for the interface endpoints: HTTPS from the VPC's own range, written as the literal CIDR.
    const endpoints = new ec2.SecurityGroup(this, 'Endpoints', { vpc: this.vpc, description: 'VPC interface endpoints', allowAllOutbound: false });
    endpoints.addIngressRule(ec2.Peer.ipv4(props.vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const [name, service] of [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
    ] as const) {
      this.vpc.addInterfaceEndpoint(name, {
        service,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [endpoints],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
    }
    // The AWS Load Balancer Controller places internet-facing ALBs by these tags.
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    for (const subnet of this.vpc.privateSubnets) Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');

    Validations.of(this.vpc).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'Zones are named on purpose: synthesis needs no lookup, and each node group and MinIO StatefulSet is pinned to one of them',
    });

    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancer', {
      vpc: this.vpc,
      description: 'Harbor ingress load balancer: HTTPS from the internet',
      allowAllOutbound: true,
    });
    this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Harbor');
    NagSuppressions.addResourceSuppressions(this.loadBalancerSecurityGroup, [
      { id: 'AwsSolutions-EC23', reason: "Harbor's public entry point: the internet-facing ALB accepts HTTPS (443) only, terminated with the environment's ACM certificate." },
    ]);
  }

  /** The private subnet of one Availability Zone (a node group is pinned to it). */
  privateSubnet(availabilityZone: string): ec2.ISubnet {
    const subnet = this.vpc.privateSubnets.find((s) => s.availabilityZone === availabilityZone);
    if (!subnet) {
      throw new ValidationError(`PlatformNetwork: no private subnet in "${availabilityZone}": use one of ${this.availabilityZones.join(', ')}`, this);
    }
    return subnet;
  }
}

/** Returns the VPC's prefix length. */
function validate(scope: Construct, props: PlatformNetworkProps): number {
  const check = new PropsCheck('PlatformNetwork');
  const azs = props.availabilityZones;
  check.require(azs.length >= 2, `availabilityZones: got ${azs.length} (${JSON.stringify(azs)}): name at least two, such as ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]`);
  check.require(new Set(azs).size === azs.length, `availabilityZones: ${JSON.stringify(azs)} repeats a zone: name each zone once`);
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region)) {
    const foreign = azs.filter((az) => !new RegExp(`^${region}[a-z]$`).test(az));
    check.require(foreign.length === 0, `availabilityZones: ${JSON.stringify(foreign)} are not zones of the stack's region ${region}: use names such as "${region}a"`);
  }
  const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(props.vpcCidr);
  const prefix = cidr ? Number(cidr[5]) : NaN;
  check.require(cidr !== null && cidr.slice(1, 5).every((o) => Number(o) <= 255), `vpcCidr: "${props.vpcCidr}" is not an IPv4 CIDR: write it as "10.20.0.0/16"`);
  check.require(!cidr || (prefix >= 16 && prefix <= 24), `vpcCidr: "${props.vpcCidr}" has a /${prefix} prefix: use /16 to /24`);
  check.require(
    Number.isInteger(props.natGateways) && props.natGateways >= 1 && props.natGateways <= azs.length,
    `natGateways: got ${props.natGateways}: use 1 (single) to ${azs.length} (one per AZ)`,
  );
  check.throwIfAny();
  return prefix;
}
