import type { PoolErasurePlan } from './erasure.js';
import type { EnvironmentConfig } from './schema/environment.js';
import { stateTiers, type StateTier } from './state-tiers.js';

/**
 * What keeps serving when one AZ is lost, and during a rolling upgrade (node groups
 * replaced one AZ at a time, charts rolled out), computed from the config and the
 * erasure plan: the platform-level version of the MinIO table's AZ-loss columns.
 *
 * Verdicts, from best to worst:
 * - `serving`: goes on without a break;
 * - `interrupted`: a break of about a minute or two that heals by itself (a pod
 *   restarted on another node, a managed failover);
 * - `atRisk`: stops when the lost AZ is the one holding zonal state (chosen when the
 *   pod first scheduled, so the plan cannot tell which AZ that is), goes on otherwise;
 * - `down`: stops until the AZ is back.
 * A capability takes the worst verdict of what it needs.
 */
export type AvailabilityVerdict = 'serving' | 'interrupted' | 'atRisk' | 'down';

export const CAPABILITIES = ['pull', 'push', 'ui', 'ldapLogin', 'backups'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Harbor's stateless tiers (the ones `harbor.replicas` sizes). */
export const HARBOR_STATELESS_TIERS = ['core', 'portal', 'registry', 'jobservice'] as const;
export type HarborTier = (typeof HARBOR_STATELESS_TIERS)[number];

export interface HarborTierPlan {
  readonly name: HarborTier;
  readonly replicas: number;
  /**
   * Most replicas in one AZ: `ceil(replicas / AZs)`, what a topology spread on
   * `topology.kubernetes.io/zone` with maxSkew 1 and `whenUnsatisfiable: DoNotSchedule` allows.
   */
  readonly maxPerAz: number;
  /** Replicas left with the fullest AZ gone. */
  readonly leftAfterZoneLoss: number;
}

export interface AvailabilityCell {
  readonly verdict: AvailabilityVerdict;
  /** Why, naming each part that decides it: `MinIO: ...; core: ...`. */
  readonly because: string;
}

/** The parts of the platform the capabilities need. */
export type PlatformPart = 'minioRead' | 'minioWrite' | HarborTier | 'database' | 'redis' | 'egress' | 'velero';

export interface AvailabilityScenario {
  /** `zoneLoss` of `availabilityZone`, or `rollingUpgrade`. */
  readonly kind: 'zoneLoss' | 'rollingUpgrade';
  readonly availabilityZone?: string;
  /** `loss of ap-northeast-2a`, `rolling upgrade`. */
  readonly name: string;
  /** How each part fares, and why. */
  readonly parts: Record<PlatformPart, AvailabilityCell>;
  /** Each capability: the worst verdict of the parts it needs, with their reasons. */
  readonly capabilities: Record<Capability, AvailabilityCell>;
}

export interface AvailabilityPlan {
  readonly harborTiers: HarborTierPlan[];
  readonly scenarios: AvailabilityScenario[];
}

type Part = AvailabilityCell;
type Parts = Record<PlatformPart, Part>;

const ORDER: AvailabilityVerdict[] = ['serving', 'interrupted', 'atRisk', 'down'];

/** Replicas of each Harbor stateless tier and what an AZ loss leaves of them. */
export function harborTiers(c: EnvironmentConfig): HarborTierPlan[] {
  const zones = c.aws.availabilityZones.length;
  return HARBOR_STATELESS_TIERS.map((name) => {
    const maxPerAz = Math.ceil(c.harbor.replicas / zones);
    return { name, replicas: c.harbor.replicas, maxPerAz, leftAfterZoneLoss: c.harbor.replicas - maxPerAz };
  });
}

/**
 * The availability table: one scenario per AZ lost, then the rolling upgrade.
 * @param pools the erasure plan of `minio.pools` (planMinioPools(c).pools)
 */
export function planAvailability(c: EnvironmentConfig, pools: readonly PoolErasurePlan[]): AvailabilityPlan {
  const tiers = harborTiers(c);
  const state = stateTiers(c);
  const azs = c.aws.availabilityZones;
  const scenarios: AvailabilityScenario[] = azs.map((az, i) => {
    const parts = zoneLossParts(c, pools, tiers, state, az, i);
    return { kind: 'zoneLoss', availabilityZone: az, name: `loss of ${az}`, parts, capabilities: capabilities(parts) };
  });
  const upgrade = rollingUpgradeParts(c, tiers, state);
  scenarios.push({ kind: 'rollingUpgrade', name: 'rolling upgrade', parts: upgrade, capabilities: capabilities(upgrade) });
  return { harborTiers: tiers, scenarios };
}

function capabilities(p: Parts): Record<Capability, AvailabilityCell> {
  const needs: Record<Capability, (keyof Parts)[]> = {
    // Every /v2 request goes through core (token service, project and artifact checks in the database).
    pull: ['registry', 'core', 'database', 'redis', 'minioRead'],
    push: ['registry', 'core', 'database', 'redis', 'minioWrite'],
    ui: ['portal', 'core', 'database', 'redis'],
    ldapLogin: ['core', 'database', 'redis', 'egress'],
    // Velero's schedules (the database's pre-backup hook runs in its pod) and the registry-data copy (reads MinIO).
    backups: ['velero', 'database', 'minioRead'],
  };
  const out = {} as Record<Capability, AvailabilityCell>;
  for (const cap of CAPABILITIES) {
    const list = needs[cap].map((k) => ({ name: k, ...p[k] }));
    const worst = list.reduce((w, x) => (ORDER.indexOf(x.verdict) > ORDER.indexOf(w) ? x.verdict : w), 'serving' as AvailabilityVerdict);
    // Say what breaks it, worst first, or, when nothing does, what carries it.
    const shown = (worst === 'serving' ? list : list.filter((x) => x.verdict !== 'serving')).sort((a, b) => ORDER.indexOf(b.verdict) - ORDER.indexOf(a.verdict));
    out[cap] = { verdict: worst, because: shown.map((x) => `${partLabel(x.name)}: ${x.because}`).join('; ') };
  }
  return out;
}

/** `MinIO`, `database`, `Redis`, `egress`, `Velero`, or the Harbor tier's name. */
export function partLabel(k: PlatformPart): string {
  return ({ minioRead: 'MinIO', minioWrite: 'MinIO', database: 'database', redis: 'Redis', egress: 'egress', velero: 'Velero' } as Record<string, string>)[k] ?? k;
}

function zoneLossParts(
  c: EnvironmentConfig,
  pools: readonly PoolErasurePlan[],
  tiers: HarborTierPlan[],
  state: StateTier[],
  az: string,
  index: number,
): Parts {
  const harbor = Object.fromEntries(
    tiers.map((t): [HarborTier, Part] => [
      t.name,
      t.leftAfterZoneLoss > 0
        ? { verdict: 'serving', because: `at least ${t.leftAfterZoneLoss} of ${t.replicas} replicas left (at most ${t.maxPerAz} per AZ)` }
        : { verdict: 'down', because: `its ${t.replicas} replica(s) may all be in ${az}` },
    ]),
  ) as Record<HarborTier, Part>;
  const natHere = c.network.natGateways === 'single' && index === 0;
  return {
    ...minioZoneLoss(c, pools),
    ...harbor,
    database: zonalOnLoss(state.find((t) => t.name === 'database')!, az, 'RDS fails over to the standby if the primary was there'),
    redis: zonalOnLoss(state.find((t) => t.name === 'redis')!, az, 'ElastiCache promotes the replica if the primary was there'),
    egress: natHere
      ? { verdict: 'down', because: `the one NAT gateway is in ${az}: a directory outside the VPC is out of reach (network.natGateways: perAz keeps it)` }
      : { verdict: 'serving', because: c.network.natGateways === 'perAz' ? 'a NAT gateway in every AZ' : `the one NAT gateway is in ${c.aws.availabilityZones[0]}` },
    velero: { verdict: 'interrupted', because: 'one server pod, started again in another AZ if it ran here (a backup running then fails; the next one runs)' },
  };
}

function minioZoneLoss(c: EnvironmentConfig, pools: readonly PoolErasurePlan[]): Pick<Parts, 'minioRead' | 'minioWrite'> {
  if (c.minio.externalEndpoint) {
    const external: Part = { verdict: 'serving', because: 'an external store, whose availability is its own (not planned here)' };
    return { minioRead: external, minioWrite: external };
  }
  const pool = (p: PoolErasurePlan, i: number) =>
    `${pools.length > 1 ? `pool ${i}: ` : ''}${p.setDriveCount - p.maxDrivesPerZoneInSet} of ${p.setDriveCount} drives of each set left`;
  const read = pools.every((p) => p.survivesZoneLossForRead);
  const write = pools.every((p) => p.survivesZoneLossForWrite);
  return {
    minioRead: {
      verdict: read ? 'serving' : 'down',
      because: pools.map((p, i) => `${pool(p, i)}, read quorum ${p.readQuorum}`).join(', '),
    },
    minioWrite: {
      verdict: write ? 'serving' : 'down',
      because: pools
        .map((p, i) => `${pool(p, i)}, ${p.survivesZoneLossForWrite ? 'more than half: new objects are written (at raised parity if needed)' : 'not more than half: writes stop'}`)
        .join(', '),
    },
  };
}

function zonalOnLoss(t: StateTier, az: string, failover: string): Part {
  if (t.placement === 'multiAz') return { verdict: 'interrupted', because: `Multi-AZ: ${failover} (a minute or two)` };
  return { verdict: 'atRisk', because: `zonal, ${t.what}: down while ${az} is, if it runs there` };
}

function rollingUpgradeParts(c: EnvironmentConfig, tiers: HarborTierPlan[], state: StateTier[]): Parts {
  const harbor = Object.fromEntries(
    tiers.map((t): [HarborTier, Part] => [t.name, { verdict: 'serving', because: `at least ${t.replicas - 1} of ${t.replicas} replicas ready (RollingUpdate and a PodDisruptionBudget)` }]),
  ) as Record<HarborTier, Part>;
  const minio: Part = c.minio.externalEndpoint
    ? { verdict: 'serving', because: 'an external store, not upgraded with the platform' }
    : { verdict: 'serving', because: 'its PodDisruptionBudget lets go only as many servers as keep every set at write quorum, one AZ at a time' };
  // Managed services are upgraded on their own (maintenance windows), not with nodes or charts.
  const single = (name: 'database' | 'redis'): Part => {
    const t = state.find((x) => x.name === name)!;
    return c.harbor[name].type === 'internal'
      ? { verdict: 'interrupted', because: `${t.what}: restarted when its node is replaced, on a new node in the same AZ (where its volume is)` }
      : { verdict: 'serving', because: 'managed, not touched by node or chart upgrades' };
  };
  return {
    minioRead: minio,
    minioWrite: minio,
    ...harbor,
    database: single('database'),
    redis: single('redis'),
    egress: { verdict: 'serving', because: 'NAT gateways are not part of the upgrade' },
    velero: { verdict: 'interrupted', because: 'one server pod, restarted when its node is replaced (a backup running then fails; the next one runs)' },
  };
}
