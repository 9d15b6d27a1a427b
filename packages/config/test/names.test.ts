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
      if (image.built) expect([image.repositoryName, image.digestParameter]).toEqual([named.repository, named.digestParameter]);
    }
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
});
