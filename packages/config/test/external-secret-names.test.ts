import { describe, expect, it } from 'vitest';
import { problemsWith, schemaProblemsWith } from './util.js';

// The CDK app creates these secrets and External Secrets reads them by name: the schema
// requires the name with the external store, so the parsed config carries it as a string.
describe('secret names of external data services', () => {
  it('requires harbor.database.credentialsSecret with an external database', () => {
    expect(schemaProblemsWith((raw) => delete raw.harbor.database.credentialsSecret, 'prod')).toEqual([
      'harbor.database.credentialsSecret: is required with an external database: Harbor reads the generated credentials by this name: name it, such as "harbor-platform/prod/harbor-database"',
    ]);
  });

  it('requires harbor.redis.authTokenSecret with an external Redis', () => {
    expect(schemaProblemsWith((raw) => delete raw.harbor.redis.authTokenSecret, 'prod')).toEqual([
      'harbor.redis.authTokenSecret: is required with an external Redis: ElastiCache gets an AUTH token and Harbor reads it by this name: name it, such as "harbor-platform/prod/harbor-redis"',
    ]);
  });

  it('names the environment in the example, and says the rules of the section wait for the fix', () => {
    const lines = problemsWith((raw) => {
      raw.harbor.redis = { type: 'external', nodeType: 'cache.r7g.large', multiAz: true };
    }, 'dev');
    expect(lines).toContain(
      'harbor.redis.authTokenSecret: is required with an external Redis: ElastiCache gets an AUTH token and Harbor reads it by this name: name it, such as "harbor-platform/dev/harbor-redis"',
    );
    expect(lines.filter((l) => l.startsWith('(rules): '))).toHaveLength(1);
  });

  it('does not ask an internal store for a secret', () => {
    expect(schemaProblemsWith((raw) => (raw.harbor.database = { type: 'internal' }), 'prod').filter((l) => l.includes('credentialsSecret'))).toEqual([]);
  });
});
