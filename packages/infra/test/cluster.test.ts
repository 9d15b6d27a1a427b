import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { environment, refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testStack, type SynthesizedEnvironment } from './util.js';
import { PlatformCluster, PlatformNetwork } from '../src/index.js';

/** namespace/serviceAccount -> IAM role logical id, from the Pod Identity associations. */
function associations(t: Template): Map<string, string> {
  return new Map(Object.values(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation')).map((a) => [`${a.Properties.Namespace}/${a.Properties.ServiceAccount}`, refId(a.Properties.RoleArn)!]));
}

describe('PlatformCluster in the dev and prod stacks', () => {
  let dev: SynthesizedEnvironment;
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    dev = synthesizeEnvironment('dev');
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  it('runs one managed node group per zone, each pinned to the private subnet of its zone', () => {
    for (const env of [dev, prod]) {
      const subnets = resourcesOf(env.template, 'AWS::EC2::Subnet');
      const groups = Object.values(resourcesOf(env.template, 'AWS::EKS::Nodegroup')).map((g) => g.Properties);
      const zonesOfGroups = groups.map((g) => {
        expect(g.Subnets).toHaveLength(1);
        const subnet = subnets[refId(g.Subnets[0])!]!.Properties;
        expect(subnet.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Private' });
        return subnet.AvailabilityZone;
      });
      expect(zonesOfGroups.sort()).toEqual([...env.config.aws.availabilityZones].sort());
    }
  });

  it('sizes each node group from the plan', () => {
    for (const env of [dev, prod]) {
      const n = env.config.cluster.nodeGroups;
      env.template.resourcePropertiesCountIs('AWS::EKS::Nodegroup', {
        // No autoscaler runs: the group's maximum is its desired size.
        ScalingConfig: { MinSize: n.minPerAz, DesiredSize: n.desiredPerAz, MaxSize: n.desiredPerAz },
        InstanceTypes: n.instanceTypes,
        CapacityType: n.capacityType,
        AmiType: 'AL2023_x86_64_STANDARD',
      }, 3);
    }
  });

  it('turns Auto Mode off: no Auto Mode compute and no Auto Mode block storage', () => {
    dev.template.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: { Enabled: false },
      StorageConfig: { BlockStorage: { Enabled: false } },
      KubernetesNetworkConfig: Match.objectLike({ ElasticLoadBalancing: { Enabled: false } }),
    });
  });

  it('installs the EBS CSI driver (ebs.csi.aws.com), the Pod Identity agent and the VPC CNI as EKS add-ons', () => {
    const addons = Object.values(resourcesOf(dev.template, 'AWS::EKS::Addon')).map((a) => a.Properties.AddonName).sort();
    expect(addons).toEqual(['aws-ebs-csi-driver', 'eks-pod-identity-agent', 'vpc-cni']);
  });

  it('gives the EBS CSI controller its AWS policy through Pod Identity', () => {
    const role = associations(dev.template).get('kube-system/ebs-csi-controller-sa');
    expect(role).toBeDefined();
    const props = resourcesOf(dev.template, 'AWS::IAM::Role')[role!]!.Properties;
    expect(JSON.stringify(props.ManagedPolicyArns)).toContain('service-role/AmazonEBSCSIDriverPolicy');
  });

  it('uses the Kubernetes version of the config', () => {
    dev.template.hasResourceProperties('AWS::EKS::Cluster', { Version: dev.config.cluster.kubernetesVersion });
  });

  it('states standard support: EKS upgrades the cluster at its end instead of billing extended support', () => {
    for (const env of [dev, prod]) env.template.hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'STANDARD' } });
  });

  it('rolls every node group with the control plane: each pins the cluster\'s version and depends on the cluster', () => {
    for (const env of [dev, prod]) {
      const [clusterId, cluster] = Object.entries(resourcesOf(env.template, 'AWS::EKS::Cluster'))[0]!;
      const groups = Object.values(resourcesOf(env.template, 'AWS::EKS::Nodegroup'));
      expect(groups).toHaveLength(3);
      for (const g of groups) {
        expect(g.Properties.Version).toBe(cluster.Properties.Version);
        // The version is valid only with a launch template that leaves the AMI to EKS.
        expect(g.Properties.ReleaseVersion).toBeUndefined();
        // CloudFormation updates the control plane first because the group refers to the cluster.
        expect(JSON.stringify(g.Properties.ClusterName)).toContain(clusterId);
      }
      for (const t of Object.values(resourcesOf(env.template, 'AWS::EC2::LaunchTemplate'))) expect(t.Properties.LaunchTemplateData.ImageId).toBeUndefined();
    }
  });

  it('encrypts Kubernetes secrets with a rotating KMS key', () => {
    const cluster = Object.values(resourcesOf(dev.template, 'AWS::EKS::Cluster'))[0]!.Properties;
    const key = resourcesOf(dev.template, 'AWS::KMS::Key')[refId(cluster.EncryptionConfig[0].Provider.KeyArn)!];
    expect(cluster.EncryptionConfig[0].Resources).toEqual(['secrets']);
    expect(key?.Properties.EnableKeyRotation).toBe(true);
  });

  it('sends all five control-plane log types', () => {
    dev.template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
    });
  });

  it('keeps the API endpoint private and grants no standing admin to the creator', () => {
    dev.template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
    });
  });

  it('grants cluster admin to each admin role of the config through an access entry', () => {
    for (const arn of dev.config.cluster.adminRoleArns) {
      dev.template.hasResourceProperties('AWS::EKS::AccessEntry', {
        PrincipalArn: arn,
        AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy'])]) }) }],
      });
    }
  });

  it('has no SSH: no remote access on node groups, SSM Session Manager on the node role', () => {
    for (const group of Object.values(resourcesOf(dev.template, 'AWS::EKS::Nodegroup'))) expect(group.Properties.RemoteAccess).toBeUndefined();
    for (const template of Object.values(resourcesOf(dev.template, 'AWS::EC2::LaunchTemplate'))) expect(template.Properties.LaunchTemplateData.KeyName).toBeUndefined();
    const nodeRole = refId(Object.values(resourcesOf(dev.template, 'AWS::EKS::Nodegroup'))[0]!.Properties.NodeRole)!;
    expect(JSON.stringify(resourcesOf(dev.template, 'AWS::IAM::Role')[nodeRole]!.Properties.ManagedPolicyArns)).toContain('AmazonSSMManagedInstanceCore');
  });

  it('keeps pods off the node role: IMDSv2 with one hop, encrypted gp3 root volumes of the planned size', () => {
    dev.template.resourcePropertiesCountIs('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: dev.config.cluster.nodeGroups.diskSizeGiB, VolumeType: 'gp3', Encrypted: true } }],
      }),
    }, 3);
  });

  it('binds the load balancer controller and External Secrets to Pod Identity roles', () => {
    const a = associations(dev.template);
    expect([...a.keys()]).toEqual(expect.arrayContaining(['kube-system/aws-load-balancer-controller', 'external-secrets/external-secrets']));
    for (const chart of ['aws-load-balancer-controller', 'external-secrets']) {
      dev.template.hasResource('Custom::AWSCDK-EKS-HelmChart', { Properties: Match.objectLike({ Chart: chart, Wait: true }) });
    }
  });

  it('trusts only the Pod Identity service, for exactly one cluster, namespace and service account', () => {
    const roleId = associations(dev.template).get('external-secrets/external-secrets')!;
    const clusterId = Object.keys(resourcesOf(dev.template, 'AWS::EKS::Cluster'))[0]!;
    expect(resourcesOf(dev.template, 'AWS::IAM::Role')[roleId]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': { 'Fn::GetAtt': [clusterId, 'Arn'] },
            'aws:RequestTag/kubernetes-namespace': 'external-secrets',
            'aws:RequestTag/kubernetes-service-account': 'external-secrets',
          },
        },
      },
    ]);
  });

  it('lets External Secrets read only the platform secrets', () => {
    const roleId = associations(prod.template).get('external-secrets/external-secrets')!;
    const policies = Object.values(resourcesOf(prod.template, 'AWS::IAM::Policy')).filter((p) => p.Properties.Roles.some((r: any) => refId(r) === roleId));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const secretResources = statements.filter((s: any) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue')).flatMap((s: any) => [s.Resource].flat());
    // Four generated, the token signing key, the LDAP bind reference, the RDS credentials and the Redis token; no wildcard over all secrets.
    expect(secretResources).toHaveLength(8);
    expect(secretResources).not.toContain('*');
  });
});

describe('PlatformCluster props', () => {
  const { config, plan } = environment('dev');
  const make = (props: Partial<ConstructorParameters<typeof PlatformCluster>[2]>) => () => {
    const stack = testStack();
    const network = new PlatformNetwork(stack, 'Network', { availabilityZones: config.aws.availabilityZones, vpcCidr: '10.20.0.0/16', natGateways: 1 });
    return new PlatformCluster(stack, 'Cluster', { network, kubernetesVersion: '1.35', nodeGroups: plan.nodeGroups, ...props });
  };

  it('refuses a Kubernetes version without a kubectl layer, naming the package to add', () => {
    expect(make({ kubernetesVersion: '1.36' })).toThrow(/kubernetesVersion: "1.36" has no kubectl layer installed: use one of 1.35, or add @aws-cdk\/lambda-layer-kubectl-v36/);
  });

  it('keeps extended support opt-in: EXTENDED only when asked for', () => {
    const stack = testStack();
    const network = new PlatformNetwork(stack, 'Network', { availabilityZones: config.aws.availabilityZones, vpcCidr: '10.20.0.0/16', natGateways: 1 });
    new PlatformCluster(stack, 'Cluster', { network, kubernetesVersion: '1.35', nodeGroups: plan.nodeGroups, supportType: 'EXTENDED' });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'EXTENDED' } });
  });

  it('refuses a zone without a node group', () => {
    expect(make({ nodeGroups: plan.nodeGroups.slice(0, 2) })).toThrow(/nodeGroups: no node group in ap-northeast-2c: give every AZ of the network one node group/);
  });

  it('refuses two node groups in one zone', () => {
    expect(make({ nodeGroups: [...plan.nodeGroups, { ...plan.nodeGroups[0]!, name: 'extra' }] })).toThrow(/nodeGroups: more than one node group in one AZ/);
  });

  it('refuses instance types of two architectures in one group', () => {
    const mixed = plan.nodeGroups.map((g) => ({ ...g, instanceTypes: ['m6i.large', 'm7g.large'] }));
    expect(make({ nodeGroups: mixed })).toThrow(/nodeGroups\[0\].instanceTypes: m6i.large, m7g.large mix CPU architectures/);
  });

  it('refuses inconsistent sizes', () => {
    expect(make({ nodeGroups: plan.nodeGroups.map((g) => ({ ...g, min: 3, desired: 1 })) })).toThrow(/nodeGroups\[0\]: min 3, desired 1, max 1: need 0 <= min <= desired <= max/);
  });

  it('refuses an admin that is not a role ARN', () => {
    expect(make({ adminRoleArns: ['arn:aws:iam::111111111111:user/alice'] })).toThrow(/adminRoleArns: "arn:aws:iam::111111111111:user\/alice" is not an IAM role ARN/);
  });
});
