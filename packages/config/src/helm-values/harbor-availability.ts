import type { HarborTier } from '../availability.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * How Harbor's stateless tiers stay up through the loss of a pod, a node or a whole AZ, and
 * through a rollout: `harbor.replicas` of each, spread over zones and nodes, a
 * PodDisruptionBudget each (the chart renders one only with more than one replica), and
 * rolling updates. The chart (1.19.1) appends each component's own label selector to the
 * spread constraints.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */

/** One of HARBOR_STATELESS_TIERS (availability.ts, which the plan's table reads too). */
export type HarborStatelessTier = HarborTier;

/** Node label of the Availability Zone (set by the kubelet from the cloud provider). */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
/** Node label of the node's name. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';

/**
 * Zones strictly (two replicas never share a zone while another zone has a node for them),
 * nodes as far as they allow. `nodeTaintsPolicy: Honor` leaves out the nodes of a lost zone
 * (tainted unreachable), so the replacement of a pod from that zone is not held back by it.
 */
export function spreadConstraints(): Record<string, unknown>[] {
  return [
    { maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' },
    { maxSkew: 1, topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway' },
  ];
}

/** Values of one stateless tier: replicas, spread and its PodDisruptionBudget. */
export function tierAvailability(config: EnvironmentConfig): Record<string, unknown> {
  return {
    replicas: config.harbor.replicas,
    topologySpreadConstraints: spreadConstraints(),
    // One replica may be evicted at a time (node drain, node group update); the others serve.
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
  };
}

/**
 * The chart-wide update strategy (the chart applies it to registry and jobservice; core and
 * portal always roll). RollingUpdate needs no ReadWriteOnce volume on those Deployments: the
 * registry stores in S3 and jobservice logs jobs to the database (`JOB_LOGGERS`).
 */
export const HARBOR_UPDATE_STRATEGY = { type: 'RollingUpdate' } as const;

/**
 * Where jobservice writes job logs. `file` would need a ReadWriteOnce volume, which one
 * replica holds at a time (no second replica, no rolling update); the database is shared by
 * all replicas and swept after `loggerSweeperDuration` days like the files were.
 */
export const JOB_LOGGERS = ['database'] as const;
