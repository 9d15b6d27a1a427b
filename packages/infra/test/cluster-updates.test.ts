import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './util.js';

/**
 * What keeps the cluster serving through its own changes: node groups updated one AZ at a
 * time and one node at a time, and NetworkPolicies enforced by the VPC CNI.
 */
describe('PlatformCluster updates and network policy enforcement (dev and prod stacks)', () => {
  let envs: SynthesizedEnvironment[];
  beforeAll(() => {
    envs = [synthesizeEnvironment('dev'), synthesizeEnvironment('prod')];
  }, SYNTH_TIMEOUT);

  /** Logical ids a resource waits for, directly or through others. */
  function waitsFor(resources: Record<string, any>, id: string, seen = new Set<string>()): Set<string> {
    for (const d of [resources[id]?.DependsOn ?? []].flat() as string[]) {
      if (!seen.has(d)) {
        seen.add(d);
        waitsFor(resources, d, seen);
      }
    }
    return seen;
  }

  it('chains the three node groups, so CloudFormation never updates or replaces two at once', () => {
    for (const env of envs) {
      const resources = env.template.toJSON().Resources;
      const groups = Object.keys(resourcesOf(env.template, 'AWS::EKS::Nodegroup'));
      expect(groups).toHaveLength(3);
      // A total order: of any two groups, one waits for the other.
      for (const a of groups) {
        for (const b of groups.filter((g) => g !== a)) {
          expect(waitsFor(resources, a).has(b) || waitsFor(resources, b).has(a), `${a} / ${b}`).toBe(true);
        }
      }
      const ordered = [...groups].sort((a, b) => waitsFor(resources, a).size - waitsFor(resources, b).size);
      expect(ordered.map((g) => resourcesOf(env.template, 'AWS::EKS::Nodegroup')[g]!.Properties.NodegroupName)).toEqual(env.plan.nodeGroups.map((g) => g.name));
    }
  });

  it('drains one node of a group at a time (updateConfig.maxUnavailable 1)', () => {
    for (const env of envs) {
      for (const g of Object.values(resourcesOf(env.template, 'AWS::EKS::Nodegroup'))) expect(g.Properties.UpdateConfig).toEqual({ MaxUnavailable: 1 });
    }
  });

  it('runs the vpc-cni add-on with its network policy agent on, taking over the CNI EKS installs', () => {
    for (const env of envs) {
      const addons = Object.values(resourcesOf(env.template, 'AWS::EKS::Addon')).filter((a) => a.Properties.AddonName === 'vpc-cni');
      expect(addons).toHaveLength(1);
      expect(JSON.parse(addons[0]!.Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
      expect(addons[0]!.Properties.ResolveConflicts).toBe('OVERWRITE');
    }
  });
});
