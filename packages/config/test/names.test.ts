import { describe, expect, it } from 'vitest';
import { plannedEnvironment } from '../src/testing/index.js';

const plan = (mutate: (raw: any) => void = () => {}, name: 'dev' | 'prod' = 'dev') => plannedEnvironment(name, mutate).plan;

describe('plan.names', () => {
  it('names the stacks, cluster and export prefix after the environment', () => {
    const { names } = plan(() => {}, 'prod');
    expect(names.stacks).toEqual({ platform: 'harbor-platform-prod', github: 'harbor-platform-prod-github' });
    expect([names.cluster, names.exportPrefix, names.githubConnection]).toEqual(['harbor-platform-prod', 'harbor-platform-prod', 'harbor-platform-prod']);
  });

  it('is the one source of the names the rest of the plan carries', () => {
    const p = plan(() => {}, 'prod');
    expect(p.github.deployRole.name).toBe(p.names.roles.githubDeploy);
    expect(p.github.operationsRole.name).toBe(p.names.roles.githubOperations);
    expect(p.github.stackName).toBe(p.names.stacks.github);
    expect(p.github.runner.projectName).toBe(p.names.runnerProject);
    const { deploy, operations } = p.names.githubEnvironments;
    expect([p.github.environment, p.github.operationsEnvironment]).toEqual([deploy, operations]);
    expect(p.drill.namespaces).toEqual([p.names.namespaces.drill.harbor, p.names.namespaces.drill.minio]);
    expect(p.drill.modifiersConfigMap).toBe(p.names.drillModifiersConfigMap);
    for (const image of [p.images.minio, p.images.ops]) {
      const named = p.names.images[image.name];
      expect(image.built).toBe(true);
      if (image.built) expect([image.repositoryName, image.digestParameter]).toEqual([named?.repository, named?.digestParameter]);
    }
  });

  it('names the ECR repository and digest parameter of a built image only: an image the config names has neither', () => {
    const external = plan((raw) => {
      // A real image: quay.io keeps this frozen tag since Docker Hub removed minio/minio.
      raw.minio.image = 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e';
    });
    expect(external.images.minio.built).toBe(false);
    expect(Object.keys(external.names.images)).toEqual(['ops']);
    expect(external.names.images.ops).toEqual({ repository: 'harbor-platform-dev/ops', digestParameter: '/harbor-platform/dev/images/ops/digest' });
  });

  it('follows the config: namespaces, the drill suffix and the GitHub environment', () => {
    const { names } = plan((raw) => {
      raw.harbor.namespace = 'registry';
      raw.velero.schedules[0].includedNamespaces = ['registry', 'minio'];
      raw.velero.drill.namespaceSuffix = '-rehearsal';
      raw.github.environment = 'development';
    });
    expect(names.namespaces).toMatchObject({ harbor: 'registry', drill: { harbor: 'registry-rehearsal', minio: 'minio-rehearsal' } });
    expect(names.githubEnvironments).toEqual({ deploy: 'development', operations: 'development-operations' });
  });

  it('puts each environment\'s outputs in a folder of its own', () => {
    expect(plan().names.outputs).toEqual({ dir: 'dev', plan: 'dev/plan.json', manifests: 'dev/manifests', values: 'dev/values' });
  });

  it('names each stack output\'s export after the prefix, and the external stores\' only when the config has them', () => {
    const prod = plan(() => {}, 'prod').names;
    expect(prod.exports.platform.ClusterName).toBe('harbor-platform-prod-cluster-name');
    expect(prod.exports.platform.RegistryBackupReaderRoleArn).toBe('harbor-platform-prod-registry-backup-reader-role-arn');
    expect(prod.exports.github).toEqual({ GithubDeployRoleArn: 'harbor-platform-prod-github-deploy-role-arn', GithubOperationsRoleArn: 'harbor-platform-prod-github-operations-role-arn' });
    expect([prod.exports.platform.DatabaseEndpoint, prod.exports.platform.RedisAddress]).toEqual(['harbor-platform-prod-database-endpoint', 'harbor-platform-prod-redis-address']);
    const dev = plan().names;
    expect(Object.keys(dev.exports.platform)).not.toContain('DatabaseEndpoint');
    expect(Object.keys(dev.exports.platform)).not.toContain('RedisAddress');
    const all = [...Object.values(prod.exports.platform), ...Object.values(prod.exports.github)];
    // CloudFormation export names are unique per account and region: no two outputs may share one.
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((n) => n.startsWith(`${prod.exportPrefix}-`))).toBe(true);
  });

  it('ties each cluster access to its GitHub role: operations to the operations role, restore to the deploy role', () => {
    const { clusterAccess, roles } = plan(() => {}, 'prod').names;
    expect([clusterAccess.operations.role, clusterAccess.restore.role]).toEqual([roles.githubOperations, roles.githubDeploy]);
  });

  it('gives the two workflow roles distinct groups and distinct Kubernetes object names', () => {
    const { operations, restore } = plan().names.clusterAccess;
    expect(operations.group).not.toBe(restore.group);
    const objects = [operations.rbac, operations.drillGuard, operations.dryRunOnly, operations.diff, restore.rbac];
    expect(new Set(objects).size).toBe(objects.length);
    // Kubernetes object names are DNS subdomains (RFC 1123): lower case, digits, '-' and '.'.
    for (const name of objects) expect(name).toMatch(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/);
  });
});
