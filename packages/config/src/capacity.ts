import type { EnvironmentConfig } from './schema/environment.js';

/** Pods of one workload that each need a node of their own in every AZ. */
export interface OwnNodeClaim {
  /** What they are, as a reader names them, such as "MinIO servers". */
  readonly workload: string;
  /** How many of them run in each AZ. */
  readonly perAz: number;
  /** Why each needs its own node (the scheduling rule that forces it). */
  readonly because: string;
}

/**
 * Every pod that needs a node of its own in each AZ, by workload. The node groups'
 * `minPerAz` must hold their sum, or some stay Pending whenever the group is at its
 * minimum (and at `desiredPerAz` after a deploy).
 *
 * - MinIO servers: the manifests give every server a required pod anti-affinity on
 *   `kubernetes.io/hostname` whose selector matches the servers of ALL pools
 *   (packages/manifests `minioLabels`), so the servers of every pool in an AZ need
 *   that many distinct nodes there. A Pending server is a missing drive set member;
 *   enough of them and a pool never reaches quorum.
 *
 * Add a claim here for any other workload that gains such a rule.
 */
export function podsNeedingOwnNodePerAz(c: EnvironmentConfig): OwnNodeClaim[] {
  return [
    {
      workload: 'MinIO servers',
      perAz: c.minio.pools.reduce((n, p) => n + p.serversPerAz, 0),
      because: 'required pod anti-affinity per node across all pools',
    },
  ];
}

/** The number of nodes each AZ needs for `podsNeedingOwnNodePerAz`. */
export function ownNodesNeededPerAz(claims: readonly OwnNodeClaim[]): number {
  return claims.reduce((n, claim) => n + claim.perAz, 0);
}
