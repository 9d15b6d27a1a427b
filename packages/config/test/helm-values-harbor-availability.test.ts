import { describe, expect, it } from 'vitest';
import { loadWith, schemaProblemsWith } from './util.js';
import { HARBOR_STATELESS_TIERS, harborValues, planEnvironment, type EnvironmentConfig, type HarborEndpoints } from '../src/index.js';

/** The Harbor values of a validated environment, from its plan (as the CDK app and `npm run synth` pass it). */
const valuesOf = (c: EnvironmentConfig, endpoints?: HarborEndpoints) => harborValues(c, planEnvironment(c), endpoints);

function config(name: 'dev' | 'prod' = 'dev', mutate: (raw: any) => void = () => {}): EnvironmentConfig {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}

const PROD_ENDPOINTS = { databaseHost: 'harbor.abc.ap-northeast-2.rds.amazonaws.com', redisAddress: 'master.harbor.abc.apn2.cache.amazonaws.com:6379' };
const values = (c: EnvironmentConfig): any => valuesOf(c, PROD_ENDPOINTS);

describe('harbor.replicas', () => {
  it('defaults to 2 when the environment does not say', () => {
    expect(config('dev', (raw) => delete raw.harbor.replicas).harbor.replicas).toBe(2);
  });

  it('refuses a single replica, naming the field and the floor', () => {
    expect(schemaProblemsWith((raw) => (raw.harbor.replicas = 1))).toEqual(['harbor.replicas: is 1, below the minimum of 2: use at least 2']);
  });

  it('sets the replica count of core, portal, registry and jobservice', () => {
    const v = values(config('prod', (raw) => (raw.harbor.replicas = 3)));
    for (const tier of HARBOR_STATELESS_TIERS) expect(v[tier].replicas, tier).toBe(3);
  });
});

describe('Harbor\'s stateless tiers survive a zone, a node and a rollout', () => {
  for (const env of ['dev', 'prod'] as const) {
    it(`${env}: every tier spreads over zones (strictly) and nodes, with a PodDisruptionBudget`, () => {
      const v = values(config(env));
      for (const tier of HARBOR_STATELESS_TIERS) {
        expect(v[tier].replicas, tier).toBe(2);
        expect(v[tier].topologySpreadConstraints, tier).toEqual([
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' },
          { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
        ]);
        expect(v[tier].podDisruptionBudget, tier).toEqual({ enabled: true, minAvailable: 1 });
      }
    });

    it(`${env}: rolls instead of recreating, and jobservice keeps no job log volume`, () => {
      const v = values(config(env));
      expect(v.updateStrategy).toEqual({ type: 'RollingUpdate' });
      expect(v.jobservice.jobLoggers).toEqual(['database']);
      expect(v.persistence.persistentVolumeClaim).not.toHaveProperty('jobservice');
    });
  }

  it('refuses the job log volume size the platform no longer uses', () => {
    expect(schemaProblemsWith((raw) => (raw.harbor.storage.jobservice = '2Gi'))).toEqual([expect.stringMatching(/^harbor\.storage\.jobservice: is not a known field: remove it/)]);
  });
});
