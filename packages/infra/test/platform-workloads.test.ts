import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnWaitConditionHandle, type Stack } from 'aws-cdk-lib/core';
import type { IDependable } from 'constructs';
import { describe, expect, it } from 'vitest';
import { standInWorkloads } from './manifest-stand-ins.js';
import { environment, importedCluster, logicalId, resourcesOf } from './util.js';
import { PlatformWorkloads, type IServiceAccountRole, type PlatformWorkloadsProps } from '../src/index.js';

const CHART = { repository: 'https://helm.goharbor.io', chart: 'harbor', version: '1.19.1' };

/** A resource standing for something the workloads wait on (an add-on, a release, an association), so DependsOn shows it. */
const marker = (stack: Stack, id: string) => new CfnWaitConditionHandle(stack, id);

/** A Pod Identity role stand-in whose service account is a marker depending on `after`. */
function role(stack: Stack, id: string): IServiceAccountRole & { account?: CfnWaitConditionHandle } {
  const r: IServiceAccountRole & { account?: CfnWaitConditionHandle } = {
    association: marker(stack, `${id}Association`),
    addServiceAccount(...after: IDependable[]) {
      r.account = marker(stack, `${id}ServiceAccount`);
      r.account.node.addDependency(...after);
      return r.account;
    },
  };
  return r;
}

/** PlatformWorkloads on an imported cluster with stand-in charts, add-ons and roles; its template and logical ids. */
function synth(extra: Partial<PlatformWorkloadsProps> = {}) {
  const { plan } = environment('dev');
  const { stack, cluster } = importedCluster();
  const props: PlatformWorkloadsProps = {
    cluster: { cluster, ebsCsiDriver: marker(stack, 'EbsCsi'), vpcCni: marker(stack, 'VpcCni') },
    charts: standInWorkloads(plan.names, { minio: 'minio@sha256:0', ops: 'ops@sha256:0' }),
    harbor: { chart: CHART, release: 'harbor', namespace: 'harbor', values: { replicas: 2 } },
    velero: { chart: { ...CHART, repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.0.3' }, release: 'velero', namespace: 'velero', values: {} },
    loadBalancerController: marker(stack, 'Alb'),
    externalSecrets: marker(stack, 'Eso'),
    veleroRole: role(stack, 'Velero'),
    registryBackupRole: role(stack, 'Backup'),
    ...extra,
  };
  const workloads = new PlatformWorkloads(stack, 'Workloads', props);
  const template = Template.fromStack(stack);
  const id = (c: Parameters<typeof logicalId>[1]) => logicalId(stack, c);
  const dependsOn = (c: Parameters<typeof logicalId>[1]) => (template.toJSON().Resources[id(c)].DependsOn ?? []) as string[];
  const manifest = (chart: { node: { id: string } }) => workloads.manifests.get(chart.node.id)!;
  return { workloads, template, props, id, dependsOn, manifest };
}

describe('PlatformWorkloads with minimal props', () => {
  it('applies each chart as one manifest, in order, each after the charts it depends on', () => {
    const { workloads, props, template, dependsOn, manifest, id } = synth();
    expect([...workloads.manifests.keys()]).toEqual(props.charts.inOrder.map((c) => c.node.id));
    expect(Object.keys(resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource'))).toHaveLength(props.charts.inOrder.length + 1);
    const [first, second] = props.charts.inOrder;
    expect(dependsOn(manifest(second!))).toContain(id(manifest(first!)));
  });

  it('waits for the add-ons and releases each chart needs', () => {
    const { props, dependsOn, manifest, id, workloads } = synth();
    const c = props.charts;
    expect(dependsOn(manifest(c.secretStore))).toContain(id(props.externalSecrets as CfnWaitConditionHandle));
    expect(dependsOn(manifest(c.storage))).toContain(id(props.cluster.ebsCsiDriver as CfnWaitConditionHandle));
    expect(dependsOn(manifest(c.networkPolicies))).toContain(id(props.cluster.vpcCni as CfnWaitConditionHandle));
    expect(dependsOn(manifest(c.velero))).toContain(id(workloads.velero.chart));
    const backupAssociation = id(props.registryBackupRole.association as CfnWaitConditionHandle);
    expect(dependsOn(manifest(c.registryBackup))).toEqual(expect.arrayContaining([id(workloads.harbor.chart), backupAssociation]));
  });

  it('creates the roles\' service accounts after the namespaces, and the settings reload RBAC beside the charts', () => {
    const { props, dependsOn, manifest, id, workloads } = synth();
    const namespaces = id(manifest(props.charts.namespaces));
    expect(dependsOn((props.veleroRole as ReturnType<typeof role>).account!)).toContain(namespaces);
    expect(dependsOn(workloads.settingsReloadRbac)).toContain(namespaces);
    expect(workloads.namespaces).toBe(manifest(props.charts.namespaces));
  });

  it('installs Harbor into the namespace the charts create, after the controller, External Secrets, EBS CSI, its Secrets, StorageClasses and MinIO', () => {
    const { props, template, dependsOn, manifest, id, workloads } = synth();
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Release: 'harbor', Namespace: 'harbor', Chart: 'harbor', Version: '1.19.1', CreateNamespace: Match.absent() });
    const c = props.charts;
    expect(dependsOn(workloads.harbor.chart)).toEqual(expect.arrayContaining(
      [props.loadBalancerController, props.externalSecrets, props.cluster.ebsCsiDriver].map((d) => id(d as CfnWaitConditionHandle))
        .concat([c.harborSecrets, c.storage, c.minioProvisioning].map((chart) => id(manifest(chart)))),
    ));
    expect(workloads.redisSecretSynced).toBeUndefined();
  });

  it('with renderTimeSecret, installs Harbor only once that Secret exists in its namespace', () => {
    const { template, dependsOn, id, workloads, manifest, props } = synth({ renderTimeSecret: 'harbor-redis' });
    template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesObjectValue', { ObjectType: 'secret', ObjectName: 'harbor-redis', ObjectNamespace: 'harbor', JsonPath: '.metadata.name' });
    expect(dependsOn(workloads.harbor.chart)).toContain(id(workloads.redisSecretSynced!));
    expect(dependsOn(workloads.redisSecretSynced!)).toContain(id(manifest(props.charts.harborSecrets)));
  });

  it('refuses a named chart missing from inOrder', () => {
    const { plan } = environment('dev');
    const charts = standInWorkloads(plan.names, { minio: 'm', ops: 'o' });
    expect(() => synth({ charts: { ...charts, inOrder: charts.inOrder.filter((c) => c !== charts.velero) } })).toThrow(/charts: a named chart is not in charts.inOrder/);
  });
});
