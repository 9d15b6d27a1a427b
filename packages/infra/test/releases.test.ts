import { HARBOR_CHART, VELERO_CHART } from '@harbor-platform/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { appliedManifests, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testCluster, type SynthesizedEnvironment } from './util.js';
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

  it('installs Harbor only once External Secrets has written the Redis Secret its chart reads at render time', () => {
    const values = Object.entries(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesObjectValue'));
    const waits = values.filter(([, r]) => r.Properties.ObjectType === 'secret');
    const targets = waits.map(([, { Properties: p }]) => ({ name: p.ObjectName, namespace: p.ObjectNamespace, jsonPath: p.JsonPath }));
    expect(targets).toEqual([
      { name: 'harbor-redis', namespace: prod.config.harbor.namespace, jsonPath: '.metadata.name' },
    ]);
    const [waitId, wait] = waits[0]!;
    expect(byRelease.get('harbor')!.dependsOn).toContain(waitId);
    // It waits for the ExternalSecret that writes it (the harbor-secrets manifest).
    const applied = Object.entries(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesResource')).map(([id, r]) => [id, JSON.stringify(r.Properties.Manifest)] as const);
    const secretsManifest = applied.find(([, m]) => /"kind\\?":\\?"ExternalSecret\\?"/.test(m) && m.includes('harbor-redis'))![0];
    expect(wait.DependsOn).toContain(secretsManifest);
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

/** Kubernetes manifests of a template: logical id, the kinds of objects they apply, and their dependencies. */
function manifests(env: SynthesizedEnvironment) {
  return appliedManifests(env.template);
}

describe('workloads of the dev stack', () => {
  let dev: SynthesizedEnvironment;
  let applied: ReturnType<typeof manifests>;
  let byRelease: ReturnType<typeof releases>;
  const holding = (kind: string, name?: string) => {
    const found = applied.filter((m) => m.objects.some((o) => o.kind === kind && (!name || o.metadata.name === name)));
    expect(found, `a manifest applies ${kind} ${name ?? ''}`).toHaveLength(1);
    return found[0]!;
  };
  beforeAll(() => {
    dev = synthesizeEnvironment('dev');
    applied = manifests(dev);
    byRelease = releases(dev);
  }, SYNTH_TIMEOUT);

  it("applies MinIO's StatefulSets from the manifests package, one per pool and zone", () => {
    const minio = holding('StatefulSet');
    const sets = minio.objects.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name).sort();
    expect(sets).toEqual(dev.plan.minio.statefulSets.map((s) => s.name).sort());
  });

  it('creates the namespaces before anything that goes into them', () => {
    const namespaces = holding('Namespace').id;
    const names = holding('Namespace').objects.map((o) => o.metadata.name).sort();
    expect(names).toEqual([dev.config.harbor.namespace, dev.config.minio.namespace, dev.config.velero.namespace].sort());
    for (const account of ['velero-server', 'registry-backup']) expect(holding('ServiceAccount', account).dependsOn).toContain(namespaces);
    // Helm creates only External Secrets' namespace; the others come labelled from the namespaces chart.
    expect(byRelease.get('external-secrets')!.props.CreateNamespace).toBe(true);
    expect(byRelease.get('harbor')!.props.CreateNamespace).toBeUndefined();
    expect(byRelease.get('velero')!.props.CreateNamespace).toBeUndefined();
  });

  it('creates the Pod Identity service accounts the charts only refer to, after their associations', () => {
    const associations = resourcesOf(dev.template, 'AWS::EKS::PodIdentityAssociation');
    for (const [namespace, account] of [[dev.config.velero.namespace, 'velero-server'], [dev.config.harbor.namespace, 'registry-backup']] as const) {
      const manifest = holding('ServiceAccount', account);
      expect(manifest.objects[0]!.metadata.namespace).toBe(namespace);
      const association = Object.entries(associations).find(([, a]) => a.Properties.ServiceAccount === account)![0];
      expect(manifest.dependsOn).toContain(association);
    }
  });

  it('applies CRD-backed objects after the releases that install the CRDs', () => {
    expect(holding('ClusterSecretStore', 'aws-secrets-manager').dependsOn).toContain(byRelease.get('external-secrets')!.id);
    expect(holding('BackupStorageLocation').dependsOn).toContain(byRelease.get('velero')!.id);
  });

  it('starts the registry-data backup only once Harbor is installed', () => {
    expect(holding('CronJob', 'registry-backup').dependsOn).toContain(byRelease.get('harbor')!.id);
  });

  it("applies the settings reload's CronJob and, apart from the diffed charts, its Role and binding in Harbor's namespace", () => {
    expect(holding('CronJob', 'harbor-settings-reload').objects.map((o) => o.kind).sort()).toEqual(['CronJob', 'NetworkPolicy', 'ServiceAccount']);
    const rbac = holding('Role', 'harbor-settings-reload');
    expect(rbac.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      `Role/${dev.config.harbor.namespace}/harbor-settings-reload`,
      `RoleBinding/${dev.config.harbor.namespace}/harbor-settings-reload`,
    ]);
    expect(rbac.dependsOn).toContain(holding('Namespace').id);
  });

  it('installs Harbor after its synced Secrets, its StorageClasses and MinIO', () => {
    const harbor = byRelease.get('harbor')!;
    expect(harbor.dependsOn).toEqual(expect.arrayContaining([holding('StorageClass').id, holding('Job').id]));
    const secrets = applied.find((m) => m.objects.some((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === dev.config.harbor.namespace))!;
    expect(harbor.dependsOn).toContain(secrets.id);
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
