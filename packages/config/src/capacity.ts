import { harborTiers } from './availability.js';
import { cpuMilli, memoryMiB, nodeAllocatable, type NodeAllocatable } from './node-allocatable.js';
import type { EnvironmentConfig } from './schema/environment.js';

/** Pods of one workload that each need a node of their own in every AZ. */
export interface OwnNodeClaim {
  /** What they are, as a reader names them, such as "MinIO servers". */
  readonly workload: string;
  /** How many of them run in each AZ. */
  readonly perAz: number;
  /** Why each needs its own node (the scheduling rule that forces it). */
  readonly because: string;
  /** The namespace the rule is scoped to: pods of other claims may share their nodes. */
  readonly namespace: string;
  /** What each pod requests. */
  readonly requests: { readonly cpuMilli: number; readonly memoryMiB: number };
}

/**
 * Every pod that needs a node of its own in each AZ, by workload. The node groups'
 * `minPerAz` must hold them (`nodesNeededPerAz`), or some stay Pending: no autoscaler
 * runs, so a group never grows past its size.
 *
 * - MinIO servers: the manifests give every server a required pod anti-affinity on
 *   `kubernetes.io/hostname` whose selector matches the servers of ALL pools
 *   (packages/manifests `minioLabels`), so the servers of every pool in an AZ need
 *   that many distinct nodes there. A Pending server is a missing drive set member;
 *   enough of them and a pool never reaches quorum.
 * - The drill's MinIO: the nightly drill restores MinIO's StatefulSets into
 *   `<minio.namespace><velero.drill.namespaceSuffix>` with the same zones, replicas,
 *   requests and anti-affinity. A pod anti-affinity term without namespaces applies in
 *   the pod's own namespace, so a drill server may share a node with a live one, but
 *   never with another drill server. (No drill runs against an external store.)
 *
 * Add a claim here for any other workload that gains such a rule.
 */
export function podsNeedingOwnNodePerAz(c: EnvironmentConfig): OwnNodeClaim[] {
  const servers = c.minio.pools.reduce((n, p) => n + p.serversPerAz, 0);
  const requests = { cpuMilli: cpuMilli(c.minio.resources.requests.cpu), memoryMiB: memoryMiB(c.minio.resources.requests.memory) };
  const because = 'required pod anti-affinity per node across all pools';
  const claims: OwnNodeClaim[] = [{ workload: 'MinIO servers', perAz: servers, because, namespace: c.minio.namespace, requests }];
  if (!c.minio.externalEndpoint) {
    claims.push({ workload: 'drill MinIO servers', perAz: servers, because: `${because}, in the drill's namespace`, namespace: `${c.minio.namespace}${c.velero.drill.namespaceSuffix}`, requests });
  }
  return claims;
}

/** The per-AZ demand on a node group and the nodes it takes. */
export interface AzCapacity {
  readonly claims: OwnNodeClaim[];
  /** Replicas of each Harbor stateless tier in one AZ at most (no resource requests, no anti-affinity: they fit beside). */
  readonly harborPodsPerAz: number;
  /** The least any node of the group offers pods (each dimension's minimum over `instanceTypes`), when their sizes are known. */
  readonly node?: NodeAllocatable;
  /** Pods of different claims one node holds by their requests (capped at the number of claims). */
  readonly claimsPerNode: number;
  readonly nodesNeeded: number;
}

/**
 * Nodes each AZ needs: every claim needs `perAz` distinct nodes; pods of different
 * claims share a node only when their requests fit its allocatable together (the
 * smallest of `instanceTypes`, since the group may launch any). With equal requests,
 * that is `max(largest claim, ceil(all pods / pods per node))`.
 */
export function azCapacity(c: EnvironmentConfig): AzCapacity {
  const claims = podsNeedingOwnNodePerAz(c).filter((x) => x.perAz > 0);
  const types = c.cluster.nodeGroups.instanceTypes;
  const sized = types.map(nodeAllocatable);
  const node: NodeAllocatable | undefined = sized.every((n) => n !== undefined)
    ? { instanceType: types.join('/'), cpuMilli: Math.min(...sized.map((n) => n!.cpuMilli)), memoryMiB: Math.min(...sized.map((n) => n!.memoryMiB)) }
    : undefined;
  const biggest = {
    cpuMilli: Math.max(1, ...claims.map((x) => x.requests.cpuMilli)),
    memoryMiB: Math.max(1, ...claims.map((x) => x.requests.memoryMiB)),
  };
  const claimsPerNode = node
    ? Math.min(claims.length, Math.floor(node.cpuMilli / biggest.cpuMilli), Math.floor(node.memoryMiB / biggest.memoryMiB))
    : 1;
  const total = claims.reduce((n, x) => n + x.perAz, 0);
  const largest = Math.max(0, ...claims.map((x) => x.perAz));
  const nodesNeeded = claimsPerNode < 1 ? Infinity : Math.max(largest, Math.ceil(total / claimsPerNode));
  return { claims, harborPodsPerAz: harborTiers(c).reduce((n, t) => n + t.maxPerAz, 0), ...(node && { node }), claimsPerNode, nodesNeeded };
}
