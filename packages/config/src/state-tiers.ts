import type { EnvironmentConfig, ZonalState } from './schema/environment.js';

/**
 * Where each piece of the platform's state lives, and what the loss of an AZ does to it.
 *
 * - `erasureCoded`: MinIO's drives, spread over the three AZs by the erasure plan;
 *   whether reads and writes survive an AZ is the pool's quorum verdict.
 * - `multiAz`: a managed service with a standby in another AZ (RDS Multi-AZ, ElastiCache
 *   with a replica and automatic failover): an AZ loss costs a failover, not the data.
 * - `zonal`: one copy in one AZ (an internal pod on an EBS volume, which lives in one AZ
 *   and cannot be attached elsewhere, or a single-AZ managed instance): while that AZ is
 *   down, so is the state. The AZ is chosen when the pod first schedules (the StorageClass
 *   binds `WaitForFirstConsumer`), so the plan cannot name it.
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volumes.html (a volume is tied to its AZ)
 */
export type StatePlacement = 'erasureCoded' | 'multiAz' | 'zonal';

export interface StateTier {
  /** `registry-data`, `database`, `redis` or `trivy`. */
  readonly name: 'registry-data' | ZonalState | 'trivy';
  /** What it is, as the plan prints it, such as "internal PostgreSQL (one pod, EBS gp3-retain)". */
  readonly what: string;
  readonly placement: StatePlacement;
  /** What the loss of the AZ holding it means, in one sentence. */
  readonly meaning: string;
  /** For zonal state that `harbor.acceptZonalState` names. */
  readonly accepted?: boolean;
}

/** Database and Redis of this environment that keep one copy in one AZ. */
export function zonalState(c: EnvironmentConfig): ZonalState[] {
  const out: ZonalState[] = [];
  if (c.harbor.database.type === 'internal' || !c.harbor.database.multiAz) out.push('database');
  if (c.harbor.redis.type === 'internal' || !c.harbor.redis.multiAz) out.push('redis');
  return out;
}

/** Every state tier of the environment, in the order the plan prints them. */
export function stateTiers(c: EnvironmentConfig): StateTier[] {
  const accepted = new Set(c.harbor.acceptZonalState);
  const db = c.harbor.database;
  const redis = c.harbor.redis;
  const registry: StateTier = c.minio.externalEndpoint
    ? {
      name: 'registry-data',
      what: `an external S3 store (${c.minio.externalEndpoint})`,
      placement: 'multiAz',
      meaning: 'outside the platform: its availability is the store\'s own, not planned here',
    }
    : {
      name: 'registry-data',
      what: `MinIO, ${c.minio.pools.length} pool(s) erasure-coded over ${c.aws.availabilityZones.length} AZs`,
      placement: 'erasureCoded',
      meaning: 'an AZ loss takes the drives there; reads and writes go on while every erasure set keeps its quorum (the MinIO table)',
    };
  return [
    registry,
    db.type === 'internal'
      ? {
        name: 'database',
        what: `internal PostgreSQL (one pod, ${c.harbor.storage.database} EBS volume, class ${c.harbor.storage.databaseStorageClass})`,
        placement: 'zonal',
        meaning: 'while its AZ is down Harbor cannot log anyone in, serve a pull or take a push; it comes back with the AZ, or from the last Velero backup',
        accepted: accepted.has('database'),
      }
      : {
        name: 'database',
        what: `RDS PostgreSQL ${db.engineVersion} (${db.instanceClass}${db.multiAz ? ', Multi-AZ' : ', single AZ'})`,
        placement: db.multiAz ? 'multiAz' : 'zonal',
        meaning: db.multiAz
          ? 'RDS fails over to the standby in another AZ (typically one to two minutes); no data is lost'
          : 'while its AZ is down Harbor cannot log anyone in, serve a pull or take a push',
        ...(!db.multiAz && { accepted: accepted.has('database') }),
      },
    redis.type === 'internal'
      ? {
        name: 'redis',
        what: `internal Redis (one pod, ${c.harbor.storage.redis} EBS volume, class ${c.harbor.storage.storageClass})`,
        placement: 'zonal',
        meaning: "while its AZ is down Harbor's sessions, caches and job queue are gone: logins, the UI and jobs stop",
        accepted: accepted.has('redis'),
      }
      : {
        name: 'redis',
        what: `ElastiCache Redis (${redis.nodeType}${redis.multiAz ? ', Multi-AZ' : ', single AZ'})`,
        placement: redis.multiAz ? 'multiAz' : 'zonal',
        meaning: redis.multiAz
          ? 'ElastiCache promotes the replica in another AZ; sessions and queued jobs survive'
          : "while its AZ is down Harbor's sessions, caches and job queue are gone: logins, the UI and jobs stop",
        ...(!redis.multiAz && { accepted: accepted.has('redis') }),
      },
    ...(c.harbor.trivy.enabled
      ? [
        {
          name: 'trivy' as const,
          what: `Trivy's vulnerability database (${c.harbor.storage.trivy} EBS volume)`,
          placement: 'zonal' as const,
          meaning: 'a cache Trivy downloads again: scans pause while its AZ is down, nothing is lost',
        },
      ]
      : []),
  ];
}
