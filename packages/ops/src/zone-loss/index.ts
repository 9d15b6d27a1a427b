export { checkZoneLoss, ZONE_LOSS_BOUNDS, type ZoneLossBounds, type ZoneLossCheck, type ZoneLossResult } from './check.js';
export type { HealStatus, ZoneControl } from './control.js';
export { imageRef, IntegrityError, PROBE_CLIENT, RegistryZoneProbe, sampleImages, type ImageRef, type ZoneLossRegistry } from './images.js';
export { KubeZoneControl, type KubeZoneControlOptions } from './kube-control.js';
export { chooseZone, zoneLossPromise, type ZoneChoice, type ZoneLossPromise } from './promise.js';
