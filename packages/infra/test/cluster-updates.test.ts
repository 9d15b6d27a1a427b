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

  it('runs the vpc-cni add-on with its network policy agent on, taking over the CNI EKS installs', () => {
    for (const env of envs) {
      const addons = Object.values(resourcesOf(env.template, 'AWS::EKS::Addon')).filter((a) => a.Properties.AddonName === 'vpc-cni');
      expect(addons).toHaveLength(1);
      expect(JSON.parse(addons[0]!.Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
      expect(addons[0]!.Properties.ResolveConflicts).toBe('OVERWRITE');
    }
  });
});
