import type { FakeCluster } from './fake-cluster.js';
import type { FakeClock } from './fakes.js';
import { RegistryUnreachableError } from '../../src/registry/errors.js';
import { syntheticImage } from '../../src/registry/synthetic.js';
import { imageRef, PROBE_CLIENT, type ImageRef, type ZoneLossRegistry } from '../../src/zone-loss/images.js';

/** Images of the drill's copy, built here so every digest is a real one. */
export const COPY_IMAGES: ImageRef[] = [
  imageRef('library/nginx', syntheticImage({ layerSizes: [2_000], label: 'nginx' }), '1.27'),
  imageRef('team-a/api', syntheticImage({ layerSizes: [3_000, 1_000], label: 'api' }), 'v3'),
];

/**
 * The restored registry on the drill MinIO, as the AZ-loss step reaches it: while any MinIO
 * StatefulSet of the drill namespace is scaled to zero (or one of its pods is still there but
 * not ready), pulls and pushes do what `whileDown` says MinIO does; otherwise they work. A
 * refused request is held as MinIO holds it, until the client's timeout.
 */
export class FakeMinioProbe implements ZoneLossRegistry {
  /** What MinIO does with the zone away: the test's choice (the real server's is the zone suite's). */
  whileDown = { read: true, write: true };
  /** Attempts that fail after the zone went, before the survivors settle. */
  settlingFailures = 0;
  readonly seen: string[] = [];
  private readonly url = 'http://127.0.0.1:18080';

  constructor(private readonly kube: FakeCluster, private readonly clock: FakeClock, private readonly namespace = 'minio-drill') {}

  private async zoneAway(): Promise<boolean> {
    const sets = (await this.kube.listWorkloads(this.namespace)).filter((w) => w.kind === 'StatefulSet');
    return sets.some((w) => w.replicas === 0 || w.readyReplicas < w.replicas);
  }

  private async answer(what: string, allowed: (w: { read: boolean; write: boolean }) => boolean, patient: boolean): Promise<void> {
    const away = await this.zoneAway();
    this.seen.push(`${what} ${away ? 'away' : 'all up'}`);
    const bound = patient ? PROBE_CLIENT.patient.timeoutMs : PROBE_CLIENT.strict.timeoutMs;
    if (away && this.settlingFailures > 0) {
      this.settlingFailures--;
      this.clock.t += 2_000;
      throw new Error(`GET ${this.url}/v2/ answered 500: UNKNOWN unknown error (s3aws: NoSuchKey)`);
    }
    if (away && !allowed(this.whileDown)) {
      this.clock.t += bound;
      throw new RegistryUnreachableError(this.url, 1, `no answer within ${bound} ms`);
    }
    this.clock.t += 1_000;
  }

  async pull(image: ImageRef, patient: boolean): Promise<void> {
    await this.answer(`pull ${image.repository}:${image.reference}`, (w) => w.read, patient);
  }

  async push(patient: boolean): Promise<ImageRef> {
    await this.answer('push', (w) => w.write, patient);
    return imageRef('library/harbor-platform-zone-loss', syntheticImage({ layerSizes: [500] }), 'zone-loss');
  }
}
