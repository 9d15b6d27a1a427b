import type { Template } from 'aws-cdk-lib/assertions';
import { CfnResource } from 'aws-cdk-lib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testCluster, type SynthesizedEnvironment } from './util.js';
import { GithubVpcRunner } from '../src/index.js';

/** The one resource of `type` whose logical id starts with the runner's construct path. */
function runnerResource(t: Template, type: string): { id: string; props: Record<string, any>; dependsOn: string[] } {
  const found = Object.entries(resourcesOf(t, type)).filter(([id]) => id.startsWith('GithubRunner'));
  expect(found.map(([id]) => id), type).toHaveLength(1);
  const [id, r] = found[0]!;
  return { id, props: r.Properties, dependsOn: r.DependsOn ?? [] };
}

describe.each(['dev', 'prod'] as const)('the VPC runners of %s', (name) => {
  let env: SynthesizedEnvironment;
  let t: Template;
  beforeAll(() => {
    env = synthesizeEnvironment(name);
    t = env.template;
  }, SYNTH_TIMEOUT);

  it("is a CodeBuild project named by the plan, taking the repository's queued workflow jobs and nothing else", () => {
    const project = runnerResource(t, 'AWS::CodeBuild::Project').props;
    expect(project.Name).toBe(env.plan.github.runner.projectName);
    expect(project.Source).toMatchObject({ Type: 'GITHUB', Location: `https://github.com/${env.plan.github.owner}/${env.plan.github.repo}.git` });
    expect(project.Artifacts).toEqual({ Type: 'NO_ARTIFACTS' });
    expect(project.Triggers).toEqual({ Webhook: true, FilterGroups: [[{ Type: 'EVENT', Pattern: 'WORKFLOW_JOB_QUEUED' }]] });
    // A managed CodeBuild image, unprivileged (no Docker daemon for the jobs).
    expect(project.Environment).toMatchObject({ Type: 'LINUX_CONTAINER', Image: 'aws/codebuild/standard:7.0', PrivilegedMode: false });
    // Longer than the longest job it runs (restore, 240 minutes).
    expect(project.TimeoutInMinutes).toBeGreaterThan(240);
  });

  it('starts its runners in the private subnets, in a security group of its own', () => {
    const project = runnerResource(t, 'AWS::CodeBuild::Project').props;
    const subnets = resourcesOf(t, 'AWS::EC2::Subnet');
    const ids = project.VpcConfig.Subnets.map(refId);
    expect(ids).toHaveLength(env.plan.aws.availabilityZones.length);
    for (const id of ids) {
      const type = subnets[id]!.Properties.Tags.find((tag: any) => tag.Key === 'aws-cdk:subnet-type').Value;
      expect(type, id).toBe('Private');
    }
    const sg = runnerResource(t, 'AWS::EC2::SecurityGroup');
    expect(project.VpcConfig.SecurityGroupIds.map(refId)).toEqual([sg.id]);
    expect(refId(project.VpcConfig.VpcId)).toBe(refId(sg.props.VpcId));
  });

  it('sends HTTPS only, and the control plane accepts it on 443 only', () => {
    const sg = runnerResource(t, 'AWS::EC2::SecurityGroup');
    expect(sg.props.SecurityGroupIngress).toBeUndefined();
    const inline = sg.props.SecurityGroupEgress.map((e: any) => ({ cidr: e.CidrIp, from: e.FromPort, to: e.ToPort, protocol: e.IpProtocol }));
    expect(inline).toEqual([{ cidr: '0.0.0.0/0', from: 443, to: 443, protocol: 'tcp' }]);

    // Every standalone rule that names the runner's group: ingress into the cluster's control plane only, on 443.
    // The control plane's group, which no node or pod carries: the cluster security group EKS creates is not opened.
    const controlPlane = refId(env.platform.resolve(env.platform.cluster.controlPlaneSecurityGroup.securityGroupId));
    expect(controlPlane).not.toBe(refId(env.platform.resolve(env.platform.cluster.cluster.clusterSecurityGroupId)));
    const names = (r: any) => [refId(r.SourceSecurityGroupId), refId(r.DestinationSecurityGroupId), refId(r.GroupId)].includes(sg.id);
    const ingress = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties).filter(names);
    expect(ingress.length).toBeGreaterThanOrEqual(1);
    for (const rule of ingress) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
      expect(refId(rule.SourceSecurityGroupId)).toBe(sg.id);
      expect(refId(rule.GroupId)).toBe(controlPlane);
    }
    const egress = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties).filter(names);
    for (const rule of egress) expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': [controlPlane, 'GroupId'] } });
  });

  it('has a role that may write its own logs and manage its network interfaces, nothing else', () => {
    const project = runnerResource(t, 'AWS::CodeBuild::Project');
    const role = runnerResource(t, 'AWS::IAM::Role');
    expect(refId(project.props.ServiceRole)).toBe(role.id);
    expect(role.props.ManagedPolicyArns).toBeUndefined();
    expect(role.props.Policies).toBeUndefined();
    expect(role.props.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': env.config.aws.account } } },
    ]);
    // The only policy attached to the role is the runner's own.
    const attached = Object.values(resourcesOf(t, 'AWS::IAM::Policy')).filter((p) => (p.Properties.Roles ?? []).some((r: any) => refId(r) === role.id));
    expect(attached).toHaveLength(1);
    const statements = attached[0]!.Properties.PolicyDocument.Statement;
    expect(statements.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(
      [
        'ec2:CreateNetworkInterface',
        'ec2:CreateNetworkInterfacePermission',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
    expect(statements.every((s: any) => s.Effect === 'Allow')).toBe(true);
    // Logs: the runner's own log group only, the one the project writes to.
    const logs = statements.find((s: any) => s.Sid === 'Logs');
    const logGroup = runnerResource(t, 'AWS::Logs::LogGroup');
    expect(refId(logs.Resource)).toBe(logGroup.id);
    expect(refId(project.props.LogsConfig.CloudWatchLogs.GroupName)).toBe(logGroup.id);
    // ENI permissions: held to CodeBuild and the runner's subnets.
    const permission = statements.find((s: any) => s.Sid === 'VpcNetworkInterfacePermission');
    expect(permission.Condition.StringEquals).toEqual({ 'ec2:AuthorizedService': 'codebuild.amazonaws.com' });
    expect(permission.Condition['ForAnyValue:StringEquals']['ec2:Subnet']).toHaveLength(project.props.VpcConfig.Subnets.length);
    // CodeBuild validates the VPC permissions at creation: the project waits for the policy.
    expect(project.dependsOn).toContain(Object.keys(resourcesOf(t, 'AWS::IAM::Policy')).find((id) => resourcesOf(t, 'AWS::IAM::Policy')[id] === attached[0]));
  });

  it('names its project in an output, and drift may read the project', () => {
    expect(Object.values(t.findOutputs('GithubRunnerProject'))[0]!.Value).toEqual({ Ref: runnerResource(t, 'AWS::CodeBuild::Project').id });
    const reads = Object.values(resourcesOf(t, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect(reads).toContain('codebuild:BatchGetProjects');
  });

  it('leaves cdk-nag clean, with every runner suppression justified', () => {
    expect(nagFindings(env.platform).filter((f) => f.includes('GithubRunner'))).toEqual([]);
    const suppressed = env.platform.runner.node
      .findAll()
      .filter((c): c is CfnResource => c instanceof CfnResource)
      .flatMap((c) => (c.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as { id: string; reason: string }[]);
    expect(suppressed.map((s: any) => s.id).sort()).toEqual(['AwsSolutions-CB4', 'AwsSolutions-IAM5', 'AwsSolutions-IAM5']);
    // The project's default VPC policy, suppressed because it is never rendered: it is not in the template.
    expect(Object.keys(resourcesOf(t, 'AWS::IAM::Policy')).filter((id) => id.startsWith('GithubRunnerProject'))).toEqual([]);
    for (const s of suppressed) expect(s.reason.length).toBeGreaterThanOrEqual(80);
  });
});

describe('GithubVpcRunner props', () => {
  it('refuses a project name CodeBuild would refuse, naming the field', () => {
    const { stack, network, cluster } = testCluster();
    expect(
      () =>
        new GithubVpcRunner(stack, 'Runner', {
          owner: 'example-org',
          repo: 'harbor-platform',
          projectName: 'has a space',
          vpc: network.vpc,
          subnets: { subnets: network.vpc.privateSubnets },
          controlPlaneSecurityGroup: cluster.controlPlaneSecurityGroup,
        }),
    ).toThrow(/projectName: "has a space" is not a CodeBuild project name/);
  });
});
