/** MinIO's own view of healing after a zone came back. */
export interface HealStatus {
  /** Every drive online and nothing left to heal. */
  readonly healed: boolean;
  /** One line, such as `12/12 drives online, 0 offline`. */
  readonly detail: string;
}

/**
 * Takes one Availability Zone's MinIO servers away and brings them back. The same zone-loss
 * check runs on every implementation: the local stack's (`scripts/local-stack/zone down|up`,
 * test/support/local-zone-control.ts) and the cluster's (KubeZoneControl: the drill
 * namespace's StatefulSets of that AZ scaled to zero and back).
 *
 * Every method is bounded and throws one line naming what did not happen in time.
 */
export interface ZoneControl {
  /** The zone for reports, such as `ap-northeast-2b (zone 1)`. */
  describe(zone: number): string;
  /** Takes the zone's servers away; resolves once they are gone and out of the MinIO Service. */
  down(zone: number): Promise<void>;
  /** Brings them back; resolves once every server of the zone serves again. */
  up(zone: number): Promise<void>;
  /** Healing as MinIO reports it, when this control can read it. */
  healStatus?(): Promise<HealStatus>;
  /** Puts back whatever this control took away and has not brought back (idempotent): every failure path calls it. */
  restore(): Promise<void>;
}
