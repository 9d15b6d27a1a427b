/**
 * The erasure layout two ways, in one comparable shape: as the plan computes it, and as the
 * running MinIO reports it (`mc admin info --json`). Zones are read from the server names the
 * manifests give (`<service>-p<pool>-z<zone>-<ordinal>`), so a drive MinIO put in another set
 * than the plan expects shows as a different per-zone count.
 */
import type { EnvironmentPlan } from '@harbor-platform/config';
import type { RegistryClient } from '../../src/registry/client.js';
import type { SyntheticImage } from '../../src/registry/synthetic.js';

export interface ComparableLayout {
  readonly pools: {
    readonly sets: number;
    readonly drivesPerSet: number;
    /** The standard storage class parity applied to the pool's objects. */
    readonly parity: number;
    /** Per erasure set, its drives in each zone (by zone index). */
    readonly drivesPerZone: number[][];
  }[];
}

export function planLayout(plan: EnvironmentPlan): ComparableLayout {
  return {
    pools: plan.minio.pools.map((p) => ({
      sets: p.setCount,
      drivesPerSet: p.setDriveCount,
      parity: p.parity,
      drivesPerZone: p.sets.map((s) => [...s.drivesPerZone]),
    })),
  };
}

interface AdminDrive {
  readonly endpoint: string;
  readonly pool_index: number;
  readonly set_index: number;
}

interface AdminInfo {
  readonly info: {
    readonly backend: { readonly standardSCParity: number; readonly totalSets: number[]; readonly totalDrivesPerSet: number[] };
    readonly servers: { readonly drives?: AdminDrive[] }[];
  };
}

export function adminInfoLayout(json: unknown, zoneCount = 3): ComparableLayout {
  const info = (json as AdminInfo).info;
  const drives = info.servers.flatMap((s) => s.drives ?? []);
  return {
    pools: info.backend.totalSets.map((sets, pool) => {
      const perZone = Array.from({ length: sets }, () => new Array<number>(zoneCount).fill(0));
      for (const d of drives.filter((x) => x.pool_index === pool)) {
        const zone = /-z(\d+)-\d+\./.exec(new URL(d.endpoint).hostname)?.[1];
        if (zone === undefined) throw new Error(`drive ${d.endpoint}: no zone in the server name`);
        perZone[d.set_index]![Number(zone)]!++;
      }
      return { sets, drivesPerSet: info.backend.totalDrivesPerSet[pool]!, parity: info.backend.standardSCParity, drivesPerZone: perZone };
    }),
  };
}

/** The zone whose loss hurts most: the most drives of any one set. */
export function worstZone(plan: EnvironmentPlan): number {
  const zones = plan.aws.availabilityZones.length;
  let best = 0;
  let most = -1;
  for (let z = 0; z < zones; z++) {
    const worst = Math.max(...plan.minio.pools.flatMap((p) => p.sets.map((s) => s.drivesPerZone[z] ?? 0)));
    if (worst > most) [best, most] = [z, worst];
  }
  return best;
}

/** Pulls an image back (manifest, config and layers) and checks every digest; throws on any failure. */
export async function pullImage(client: RegistryClient, repository: string, tag: string, image: SyntheticImage): Promise<void> {
  const manifest = await client.getManifest(repository, tag);
  if (!manifest) throw new Error(`pull ${repository}:${tag}: no such manifest`);
  if (manifest.digest !== image.manifest.digest) throw new Error(`pull ${repository}:${tag}: digest ${manifest.digest}, pushed ${image.manifest.digest}`);
  for (const blob of [image.config, ...image.layers]) {
    const read = await client.hashBlob(repository, blob.descriptor.digest);
    if (!read) throw new Error(`pull ${repository}: blob ${blob.descriptor.digest} missing`);
  }
}
