import type { EnvironmentPlan } from '@harbor-platform/config';
import type { KubeApi } from '../kube/api.js';
import type { DataTargets, DrillDataPath, RegistryCopyRef } from '../steps/data-path.js';
import type { Clock } from '../velero/wait.js';
import { checkZoneLoss, type ZoneLossResult } from '../zone-loss/check.js';
import { RegistryZoneProbe, type ZoneLossRegistry } from '../zone-loss/images.js';
import { KubeZoneControl } from '../zone-loss/kube-control.js';
import { chooseZone, zoneLossPromise } from '../zone-loss/promise.js';

/** Images of the copy the AZ-loss step pulls back: a few, spread over repositories, each checked to the digest. */
export const ZONE_LOSS_SAMPLE = 5;

/** The AZ-loss step's result, with why that AZ was taken. */
export type DrillZoneLoss = ZoneLossResult & { readonly why: string };

/** A probe on the restored registry; `repository` receives the synthetic image. */
export type ZoneProbeFactory = (registry: DataTargets['registry'], repository: string) => ZoneLossRegistry;

export const defaultZoneProbe: ZoneProbeFactory = ({ url, username, password }, repository) =>
  new RegistryZoneProbe({ url, credentials: username && password ? { username, password } : undefined, repository });

/**
 * Where the synthetic image goes: beside the first sampled image, in its project (Harbor
 * accepts a push only into an existing project; the drill's copy is deleted afterwards).
 */
export function probeRepository(first?: string): string {
  if (!first) return 'harbor-platform/zone-loss';
  return first.includes('/') ? `${first.split('/')[0]}/harbor-platform-zone-loss` : 'harbor-platform-zone-loss';
}

export interface DrillZoneLossDeps {
  readonly plan: EnvironmentPlan;
  readonly kube: KubeApi;
  readonly data: DrillDataPath;
  readonly clock: Clock;
  readonly progress: (line: string) => void;
  readonly pollMs?: number;
  /** @default defaultZoneProbe (the distribution API through the drill's port-forward) */
  readonly zoneProbe?: ZoneProbeFactory;
}

/**
 * The drill's AZ-loss step, after the restore was verified: the drill MinIO's StatefulSets of
 * one AZ (velero.drill.zoneLoss.zone, or by rotation) scaled to zero in the drill namespace and
 * back, checked by the same checkZoneLoss the local zone suite runs on the real MinIO, against
 * the restored registry and the copy's inventory.
 */
export async function drillZoneLoss(d: DrillZoneLossDeps, copy: RegistryCopyRef, targets: DataTargets, minioNs: string): Promise<DrillZoneLoss> {
  const { plan, clock } = d;
  const { zone, why } = chooseZone(plan, plan.drill.zoneLoss.zone, clock.now());
  const control = new KubeZoneControl(d.kube, plan, minioNs, { clock, progress: d.progress, pollMs: d.pollMs });
  const images = await d.data.sampleImages(copy, ZONE_LOSS_SAMPLE);
  const registry = (d.zoneProbe ?? defaultZoneProbe)(targets.registry, probeRepository(images[0]?.repository));
  d.progress(`zone loss: ${control.describe(zone)} (${why}); ${images.length} image(s) of the copy to pull`);
  const result = await checkZoneLoss({
    control,
    zone,
    promise: zoneLossPromise(plan, zone),
    images,
    registry,
    verify: () => d.data.verify(copy, targets.registry),
    clock,
    progress: d.progress,
  });
  return { ...result, why };
}
