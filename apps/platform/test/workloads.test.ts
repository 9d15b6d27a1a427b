/**
 * The platform stack as the app composes it: infra's constructs applying packages/manifests'
 * charts. What each chart holds is tested in packages/manifests, how infra wires charts in
 * packages/infra (with stand-in charts); here, that the composed stack applies the real charts
 * in the order their objects need.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appliedManifests, releases, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './composed.js';

describe('Helm releases of the prod stack', () => {
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  it('installs Harbor only once External Secrets has written the Redis Secret its chart reads at render time', () => {
    const values = Object.entries(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesObjectValue'));
    const waits = values.filter(([, r]) => r.Properties.ObjectType === 'secret');
    const targets = waits.map(([, { Properties: p }]) => ({ name: p.ObjectName, namespace: p.ObjectNamespace, jsonPath: p.JsonPath }));
    expect(targets).toEqual([
      { name: 'harbor-redis', namespace: prod.config.harbor.namespace, jsonPath: '.metadata.name' },
    ]);
    const [waitId, wait] = waits[0]!;
    expect(releases(prod).get('harbor')!.dependsOn).toContain(waitId);
    // It waits for the ExternalSecret that writes it (the harbor-secrets manifest).
    const applied = Object.entries(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesResource')).map(([id, r]) => [id, JSON.stringify(r.Properties.Manifest)] as const);
    const secretsManifest = applied.find(([, m]) => /"kind\\?":\\?"ExternalSecret\\?"/.test(m) && m.includes('harbor-redis'))![0];
    expect(wait.DependsOn).toContain(secretsManifest);
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

describe('the platform stack runs the built images by the digest in their SSM parameters', () => {
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  /** The logical ids referenced right after `prefix` in the applied manifests' JSON text, and how often. */
  function refsAfter(prefix: string): Record<string, number> {
    const found: Record<string, number> = {};
    for (const r of Object.values(resourcesOf(prod.template, 'Custom::AWSCDK-EKS-KubernetesResource'))) {
      const m = r.Properties.Manifest;
      if (typeof m === 'string') continue;
      const parts = m['Fn::Join'][1] as unknown[];
      parts.forEach((p, i) => {
        const next = parts[i + 1] as any;
        if (typeof p === 'string' && p.endsWith(`"image":"${prefix}`) && next?.Ref) found[next.Ref] = (found[next.Ref] ?? 0) + 1;
      });
    }
    return found;
  }

  /** The template's parameter holding SSM parameter `name`. */
  function parameterOf(name: string): string {
    const params = prod.template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [id] = Object.entries(params).find(([, p]) => p.Default === name && p.Type === 'AWS::SSM::Parameter::Value<String>')!;
    return id;
  }

  it('every MinIO StatefulSet runs <repository>@<the minio digest parameter>', () => {
    const images = prod.plan.images;
    if (!images.minio.built) throw new Error('prod builds MinIO');
    expect(refsAfter(`${images.minio.repositoryUri}@`)).toEqual({ [parameterOf(images.minio.digestParameter)]: prod.plan.minio.statefulSets.length });
  });

  it('the registry-data backup and the settings reload run <repository>@<the ops digest parameter>', () => {
    const images = prod.plan.images;
    if (!images.ops.built) throw new Error('prod builds the ops image');
    expect(refsAfter(`${images.ops.repositoryUri}@`)).toEqual({ [parameterOf(images.ops.digestParameter)]: 2 });
  });
});
