import { HARBOR_CHART, VELERO_CHART } from '@harbor-platform/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testCluster, type SynthesizedEnvironment } from './util.js';
import { HelmRelease } from '../src/index.js';

/** Helm releases of a template by release name, with their logical ids and dependencies. */
function releases(env: SynthesizedEnvironment) {
  return new Map(
    Object.entries(resourcesOf(env.template, 'Custom::AWSCDK-EKS-HelmChart')).map(([id, r]) => [r.Properties.Release as string, { id, props: r.Properties, dependsOn: r.DependsOn ?? [] }]),
  );
}

describe('Helm releases of the prod stack', () => {
  let prod: SynthesizedEnvironment;
  let byRelease: ReturnType<typeof releases>;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
    byRelease = releases(prod);
  }, SYNTH_TIMEOUT);

  it('installs Harbor and Velero at the chart versions of the config', () => {
    expect(byRelease.get('harbor')?.props).toMatchObject({ Chart: 'harbor', Repository: HARBOR_CHART.repository, Version: prod.config.harbor.chartVersion, Namespace: prod.config.harbor.namespace });
    expect(byRelease.get('velero')?.props).toMatchObject({ Chart: 'velero', Repository: VELERO_CHART.repository, Version: prod.config.velero.chartVersion, Namespace: prod.config.velero.namespace });
  });

  it('passes Harbor the RDS and ElastiCache endpoints as deploy-time references', () => {
    const parts = byRelease.get('harbor')!.props.Values['Fn::Join'][1];
    const db = Object.keys(resourcesOf(prod.template, 'AWS::RDS::DBInstance'))[0]!;
    const redis = Object.keys(resourcesOf(prod.template, 'AWS::ElastiCache::ReplicationGroup'))[0]!;
    expect(parts).toContainEqual({ 'Fn::GetAtt': [db, 'Endpoint.Address'] });
    expect(parts).toContainEqual({ 'Fn::GetAtt': [redis, 'PrimaryEndPoint.Address'] });
  });

  it("puts Harbor's load balancer behind the network's HTTPS-only security group", () => {
    const parts = byRelease.get('harbor')!.props.Values['Fn::Join'][1] as unknown[];
    const group = Object.entries(resourcesOf(prod.template, 'AWS::EC2::SecurityGroup')).find(([, g]) => g.Properties.GroupDescription.includes('load balancer'))![0];
    const at = parts.findIndex((p) => JSON.stringify(p) === JSON.stringify({ 'Fn::GetAtt': [group, 'GroupId'] }));
    expect(at).toBeGreaterThan(0);
    expect(String(parts[at - 1])).toMatch(/"alb\.ingress\.kubernetes\.io\/security-groups":"$/);
  });

  it('uses the Velero service account the Pod Identity association binds', () => {
    const values = JSON.parse(JSON.stringify(byRelease.get('velero')!.props.Values));
    expect(typeof values === 'string' ? values : JSON.stringify(values)).toContain('"name":"velero-server"');
    const associations = Object.values(resourcesOf(prod.template, 'AWS::EKS::PodIdentityAssociation')).map((a) => `${a.Properties.Namespace}/${a.Properties.ServiceAccount}`);
    expect(associations).toContain(`${prod.config.velero.namespace}/velero-server`);
  });

  it('installs Harbor after the load balancer controller, External Secrets and the EBS CSI driver', () => {
    const harbor = byRelease.get('harbor')!;
    const alb = byRelease.get('aws-load-balancer-controller')!;
    const eso = byRelease.get('external-secrets')!;
    const addon = Object.entries(resourcesOf(prod.template, 'AWS::EKS::Addon')).find(([, a]) => a.Properties.AddonName === 'aws-ebs-csi-driver')![0];
    expect(harbor.dependsOn).toEqual(expect.arrayContaining([alb.id, eso.id, addon]));
  });
});

describe('HelmRelease props', () => {
  const make = (values: Record<string, unknown>, version = '1.19.1') => () => {
    const { cluster } = testCluster();
    return new HelmRelease(cluster, 'Release', { cluster: cluster.cluster, chart: { repository: 'https://helm.goharbor.io', chart: 'harbor', version }, release: 'harbor', namespace: 'harbor', values });
  };

  it('refuses values holding a known default credential, naming where', () => {
    expect(make({ harborAdminPassword: 'Harbor12345', database: { internal: { password: 'changeit' } } })).toThrow(
      /HelmRelease: invalid props:\n {2}- values.harborAdminPassword: holds the known default credential "Harbor12345".*\n {2}- values.database.internal.password: holds the known default credential "changeit"/,
    );
  });

  it('refuses an unpinned chart version', () => {
    expect(make({}, 'latest')).toThrow(/chart.version: "latest" is not a pinned chart version/);
  });
});
