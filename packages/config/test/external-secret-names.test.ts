import { describe, expect, it } from 'vitest';
import { problemsWith } from './util.js';

// The CDK app creates these secrets and External Secrets reads them by name.
describe('secret names of external data services', () => {
  it('requires harbor.database.credentialsSecret with an external database', () => {
    expect(problemsWith((raw) => delete raw.harbor.database.credentialsSecret, 'prod')).toEqual([
      'harbor.database.credentialsSecret: is required with an external database: Harbor reads the generated credentials by this name: name it, such as "harbor-platform/prod/harbor-database"',
    ]);
  });

  it('requires harbor.redis.authTokenSecret with an external Redis', () => {
    expect(problemsWith((raw) => delete raw.harbor.redis.authTokenSecret, 'prod')).toEqual([
      'harbor.redis.authTokenSecret: is required with an external Redis: ElastiCache gets an AUTH token and Harbor reads it by this name: name it, such as "harbor-platform/prod/harbor-redis"',
    ]);
  });
});
