import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith, schemaProblemsWith } from './util.js';
import { stateTiers, zonalState, type EnvironmentConfig } from '../src/index.js';

const config = (mutate: (raw: any) => void, name: 'dev' | 'prod' = 'dev'): EnvironmentConfig => {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
};

describe('zonal state and minio.tolerateZoneLoss: readWrite', () => {
  it('refuses internal PostgreSQL and Redis under readWrite without an acceptance, one line each naming the field and both fixes', () => {
    const lines = problemsWith((e) => delete e.harbor.acceptZonalState);
    expect(lines).toEqual([
      'harbor.database: internal PostgreSQL is one pod on a zonal EBS volume, so Harbor stops while its AZ is down although minio.tolerateZoneLoss is "readWrite": use an external Multi-AZ database (harbor.database: { type: external, multiAz: true, ... }), or accept the gap with harbor.acceptZonalState: [database]',
      'harbor.redis: internal Redis is one pod on a zonal EBS volume, so Harbor stops while its AZ is down although minio.tolerateZoneLoss is "readWrite": use an external Multi-AZ Redis (harbor.redis: { type: external, multiAz: true, ... }), or accept the gap with harbor.acceptZonalState: [redis]',
    ]);
  });

  it('accepts a named gap and reports it as a warning (dev)', () => {
    const r = loadWith(() => {});
    expect(r.ok).toBe(true);
    expect(r.warnings.filter((w) => w.path === 'harbor.database' || w.path === 'harbor.redis').map((w) => w.message)).toEqual([
      'internal PostgreSQL is one pod on a zonal EBS volume: Harbor stops while its AZ is down (accepted in harbor.acceptZonalState)',
      'internal Redis is one pod on a zonal EBS volume: Harbor stops while its AZ is down (accepted in harbor.acceptZonalState)',
    ]);
  });

  it('refuses only the gap left unnamed', () => {
    expect(problemsWith((e) => (e.harbor.acceptZonalState = ['redis']))).toEqual([expect.stringMatching(/^harbor\.database: internal PostgreSQL .*acceptZonalState: \[database\]$/)]);
  });

  it('treats a single-AZ RDS instance or ElastiCache group as zonal too', () => {
    const lines = problemsWith((e) => {
      e.harbor.database.multiAz = false;
      e.harbor.redis.multiAz = false;
    }, 'prod');
    expect(lines).toEqual([
      expect.stringMatching(/^harbor\.database: external PostgreSQL is in a single AZ \(multiAz: false\), so Harbor stops/),
      expect.stringMatching(/^harbor\.redis: external Redis is in a single AZ \(multiAz: false\), so Harbor stops/),
    ]);
  });

  it('passes prod: external Multi-AZ database and Redis leave nothing zonal to accept', () => {
    const c = config(() => {}, 'prod');
    expect(zonalState(c)).toEqual([]);
  });

  it('refuses an acceptance of state that is not zonal, and a repeated name', () => {
    expect(problemsWith((e) => (e.harbor.acceptZonalState = ['database']), 'prod')).toEqual([
      'harbor.acceptZonalState[0]: accepts a zonal database, but harbor.database is external and Multi-AZ: remove "database" from the list',
    ]);
    expect(problemsWith((e) => (e.harbor.acceptZonalState = ['redis', 'database', 'redis']))).toEqual(['harbor.acceptZonalState[2]: names "redis" twice: name each once']);
  });

  it('refuses an unknown name with the allowed ones', () => {
    expect(schemaProblemsWith((e) => (e.harbor.acceptZonalState = ['minio']))).toEqual(['harbor.acceptZonalState[0]: "minio" is not allowed: use one of "database", "redis"']);
  });

  it('only warns when the goal is below readWrite', () => {
    const r = loadWith((e) => {
      delete e.harbor.acceptZonalState;
      e.minio.tolerateZoneLoss = 'read';
    });
    expect(r.ok).toBe(true);
    expect(r.warnings.find((w) => w.path === 'harbor.database')?.message).toMatch(/\(minio\.tolerateZoneLoss is "read"\)$/);
  });
});

describe('harbor.replicas', () => {
  it('defaults to two and refuses one', () => {
    expect(config((e) => delete e.harbor.replicas).harbor.replicas).toBe(2);
    expect(schemaProblemsWith((e) => (e.harbor.replicas = 1))).toEqual(['harbor.replicas: is 1, below the minimum of 2: use at least 2']);
    expect(schemaProblemsWith((e) => (e.harbor.replicas = 2.5))).toEqual([expect.stringMatching(/^harbor\.replicas: /)]);
  });
});

describe('state tiers in the plan', () => {
  it('dev: registry data erasure-coded, database and Redis zonal and accepted, Trivy a zonal cache', () => {
    const tiers = stateTiers(config(() => {}));
    expect(tiers.map((t) => [t.name, t.placement, t.accepted])).toEqual([
      ['registry-data', 'erasureCoded', undefined],
      ['database', 'zonal', true],
      ['redis', 'zonal', true],
      ['trivy', 'zonal', undefined],
    ]);
    expect(tiers[1]!.what).toBe('internal PostgreSQL (one pod, 10Gi EBS volume, class gp3-retain)');
  });

  it('prod: database and Redis Multi-AZ', () => {
    const tiers = stateTiers(config(() => {}, 'prod'));
    expect(tiers.map((t) => [t.name, t.placement])).toEqual([
      ['registry-data', 'erasureCoded'],
      ['database', 'multiAz'],
      ['redis', 'multiAz'],
      ['trivy', 'zonal'],
    ]);
    expect(tiers[1]!.what).toBe('RDS PostgreSQL 16 (db.r6g.large, Multi-AZ)');
  });
});
