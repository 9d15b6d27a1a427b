import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { environment, refId, resourcesOf, testStack } from './util.js';
import { PlatformNetwork } from '../src/index.js';

const { config } = environment('dev');
const ZONES = config.aws.availabilityZones;

function networkTemplate(natGateways: number): Template {
  const stack = testStack();
  new PlatformNetwork(stack, 'Network', { availabilityZones: ZONES, vpcCidr: '10.20.0.0/16', natGateways });
  return Template.fromStack(stack);
}

describe('PlatformNetwork', () => {
  let single: Template;
  let perAz: Template;
  beforeAll(() => {
    single = networkTemplate(1);
    perAz = networkTemplate(3);
  });

  it('puts one public and one private subnet in each named zone, with no lookup', () => {
    const subnets = Object.values(resourcesOf(single, 'AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets).toHaveLength(6);
    for (const zone of ZONES) {
      const inZone = subnets.filter((s) => s.AvailabilityZone === zone);
      expect(inZone.map((s) => s.MapPublicIpOnLaunch).sort()).toEqual([false, false]);
      expect(inZone.flatMap((s) => s.Tags.filter((t: any) => t.Key === 'aws-cdk:subnet-type').map((t: any) => t.Value)).sort()).toEqual(['Private', 'Public']);
    }
  });

  it('tags subnets for internet-facing and internal load balancers', () => {
    single.resourcePropertiesCountIs('AWS::EC2::Subnet', { Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }]) }, 3);
    single.resourcePropertiesCountIs('AWS::EC2::Subnet', { Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }]) }, 3);
  });

  it('creates as many NAT gateways as asked', () => {
    single.resourceCountIs('AWS::EC2::NatGateway', 1);
    perAz.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  it('keeps S3 on a gateway endpoint and ECR and STS on private interface endpoints', () => {
    single.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }) });
    for (const service of ['ecr.api', 'ecr.dkr', 'sts']) {
      single.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.${config.aws.region}.${service}`,
        PrivateDnsEnabled: true,
      });
    }
  });

  it('opens the interface endpoints to HTTPS from the VPC range only', () => {
    single.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'VPC interface endpoints',
      SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    });
  });

  it('logs all traffic to CloudWatch Logs with a retention', () => {
    const logs = resourcesOf(single, 'AWS::EC2::FlowLog');
    expect(Object.values(logs).map((l) => l.Properties.TrafficType)).toEqual(['ALL']);
    const group = resourcesOf(single, 'AWS::Logs::LogGroup')[refId(Object.values(logs)[0]!.Properties.LogGroupName)!];
    expect(group?.Properties.RetentionInDays).toBe(365);
  });

  it('opens only the load balancer group to the internet, and only on 443', () => {
    single.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('load balancer'),
      SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS to Harbor' }],
    });
  });
});

describe('PlatformNetwork props', () => {
  const make = (props: Partial<ConstructorParameters<typeof PlatformNetwork>[2]>) => () =>
    new PlatformNetwork(testStack(), 'Network', { availabilityZones: ZONES, vpcCidr: '10.20.0.0/16', natGateways: 1, ...props });

  it('refuses a repeated zone', () => {
    expect(make({ availabilityZones: [ZONES[0]!, ZONES[0]!, ZONES[1]!] })).toThrow(/availabilityZones: .* repeats a zone: name each zone once/);
  });

  it("refuses a zone outside the stack's region", () => {
    expect(make({ availabilityZones: ['us-east-1a', ...ZONES.slice(1)] })).toThrow(/availabilityZones: \["us-east-1a"\] are not zones of the stack's region ap-northeast-2/);
  });

  it('refuses a CIDR that is not /16 to /24', () => {
    expect(make({ vpcCidr: '10.0.0.0/8' })).toThrow(/vpcCidr: "10.0.0.0\/8" has a \/8 prefix: use \/16 to \/24/);
    expect(make({ vpcCidr: '10.0.0/16' })).toThrow(/vpcCidr: "10.0.0\/16" is not an IPv4 CIDR/);
  });

  it('refuses more NAT gateways than zones, or none', () => {
    expect(make({ natGateways: 4 })).toThrow(/natGateways: got 4: use 1 \(single\) to 3 \(one per AZ\)/);
    expect(make({ natGateways: 0 })).toThrow(/natGateways: got 0/);
  });

  it('reports every problem at once, naming the construct', () => {
    expect(make({ vpcCidr: 'x', natGateways: 9 })).toThrow(/^PlatformNetwork: invalid props:\n {2}- vpcCidr: .*\n {2}- natGateways: /);
  });
});
