/**
 * The zone-loss check as a state machine on a fake clock: a ZoneControl whose zone goes and
 * comes back when told, and a registry that does what the test says MinIO does with the zone
 * away. The real server's behaviour is the zone suite's (test/integration/minio-zones.test.ts),
 * which runs this same function on the local stack.
 */
import type { EnvironmentPlan } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { COPY_IMAGES } from './support/fake-minio-probe.js';
import { FakeClock, loadPlan } from './support/fakes.js';
import { RegistryUnreachableError } from '../src/registry/errors.js';
import { syntheticImage } from '../src/registry/synthetic.js';
import { checkZoneLoss, type ZoneLossCheck } from '../src/zone-loss/check.js';
import type { HealStatus, ZoneControl } from '../src/zone-loss/control.js';
import { imageRef, IntegrityError, sampleImages, type ImageRef, type ZoneLossRegistry } from '../src/zone-loss/images.js';
import { chooseZone, zoneLossPromise } from '../src/zone-loss/promise.js';

/** dev.yaml with `minio` fields replaced, planned. */
function devWith(minio: Record<string, unknown>): EnvironmentPlan {
  return plannedEnvironment('dev', (raw) => (raw.minio = { ...raw.minio, ...minio })).plan;
}

class ScriptedZone implements ZoneControl {
  away = false;
  readonly calls: string[] = [];
  downMs = 35_000;
  upMs = 50_000;
  /** healStatus reads that still report drives offline after the zone is back. */
  unhealedReads = 2;
  downError?: string;
  constructor(private readonly clock: FakeClock) {}
  describe(z: number) {
    return `az-${z} (zone ${z})`;
  }
  async down(z: number) {
    this.calls.push(`down ${z}`);
    this.away = true;
    this.clock.t += this.downMs;
    if (this.downError) throw new Error(this.downError);
  }
  async up(z: number) {
    this.calls.push(`up ${z}`);
    this.clock.t += this.upMs;
    this.away = false;
  }
  async healStatus(): Promise<HealStatus> {
    return this.unhealedReads-- > 0 ? { healed: false, detail: '4/6 drives online, 2 offline' } : { healed: true, detail: '6/6 drives online' };
  }
  async restore() {
    this.calls.push('restore');
    this.away = false;
  }
}

class ScriptedRegistry implements ZoneLossRegistry {
  whileDown = { read: true, write: true };
  failuresBeforeSettled = 0;
  refusalMs = 10_000;
  corrupt = false;
  pulls = 0;
  pushes = 0;
  constructor(private readonly zone: ScriptedZone, private readonly clock: FakeClock) {}
  refusal: () => Error = () => new RegistryUnreachableError('http://127.0.0.1:18080', 1, 'no answer within 10000 ms');
  private async op(allowed: boolean) {
    if (this.zone.away && this.failuresBeforeSettled > 0) {
      this.failuresBeforeSettled--;
      this.clock.t += 1_500;
      throw new Error('GET http://127.0.0.1:18080/v2/library/nginx/manifests/1.27 answered 404: MANIFEST_UNKNOWN manifest unknown');
    }
    if (this.zone.away && !allowed) {
      this.clock.t += this.refusalMs;
      throw this.refusal();
    }
    this.clock.t += 800;
  }
  async pull(image: ImageRef) {
    this.pulls++;
    await this.op(this.whileDown.read);
    if (this.corrupt) throw new IntegrityError(`pull ${image.repository}:${image.reference}: blob ${image.blobs[0]} hashes to sha256:${'0'.repeat(64)}`);
  }
  async push() {
    this.pushes++;
    await this.op(this.whileDown.write);
    return imageRef('library/harbor-platform-zone-loss', syntheticImage({ layerSizes: [100] }), 'zone-loss-1');
  }
}

function setup(promise = { read: true, write: true, because: 'test layout' }) {
  const clock = new FakeClock();
  const control = new ScriptedZone(clock);
  const registry = new ScriptedRegistry(control, clock);
  const verified: string[] = [];
  const check: ZoneLossCheck = {
    control,
    zone: 1,
    promise,
    images: COPY_IMAGES,
    registry,
    verify: async () => {
      verified.push(control.away ? 'away' : 'back');
      clock.t += 20_000;
      return { ok: true, summary: 'verified: 0 failure(s)' };
    },
    clock,
    progress: () => {},
  };
  return { clock, control, registry, check, verified };
}

describe('checkZoneLoss', () => {
  it('writes survive: pulls every image after the survivors settle, pushes, heals, verifies; times to detect and to heal', async () => {
    const { check, registry, control, verified } = setup();
    registry.failuresBeforeSettled = 2;
    const r = await checkZoneLoss(check);
    expect(r.ok, r.reason).toBe(true);
    expect(r.observed).toEqual({ read: true, write: true });
    expect(r.detectMs).toBe(35_000);
    // 2 failed pulls (1.5 s each, 3 s apart), the 2 images, the push.
    expect(r.settleMs).toBe(35_000 + 2 * (1_500 + 3_000) + 2 * 800 + 800);
    // Up 50 s, two unhealed reads 3 s apart, then 3 pulls (the pushed image too) and the verify.
    expect(r.healMs).toBe(50_000 + 2 * 3_000 + 3 * 800 + 20_000);
    expect(r.verdicts[0]).toBe('pull of 2 image(s): served as promised after 10.6 s (2 failed attempt(s) while the survivors settled)');
    expect(r.verdicts[1]).toMatch(/^push of library\/harbor-platform-zone-loss:zone-loss-1: written as promised after 0\.8 s$/);
    expect(verified).toEqual(['back']);
    expect(control.calls).toEqual(['down 1', 'up 1', 'restore']);
  });

  it('reads only: the push must be refused in bounded time with one line, and is', async () => {
    const { check, registry } = setup({ read: true, write: false, because: 'sets of 2' });
    registry.whileDown = { read: true, write: false };
    const r = await checkZoneLoss(check);
    expect(r.ok, r.reason).toBe(true);
    expect(r.observed).toEqual({ read: true, write: false });
    expect(r.verdicts[1]).toBe('push: refused in 10.0 s: registry http://127.0.0.1:18080 unreachable after 1 attempt(s): no answer within 10000 ms');
    expect(r.refusals).toEqual(['registry http://127.0.0.1:18080 unreachable after 1 attempt(s): no answer within 10000 ms']);
    expect(r.pushed).toBeUndefined();
    expect(registry.pushes).toBe(1);
  });

  it('a write the plan says survives fails: the check fails with every attempt, and the zone still comes back', async () => {
    const { check, registry, control } = setup();
    registry.whileDown = { read: true, write: false };
    const r = await checkZoneLoss(check);
    expect(r.ok).toBe(false);
    expect(r.observed.write).toBe(false);
    expect(r.reason).toMatch(/^push failed, though the plan says writes survive: after 10\.0 s: registry .* no answer within 10000 ms; after 23\.0 s: /);
    // Patient for the settle bound (120 s), not longer.
    expect(registry.pushes).toBe(10);
    expect(control.calls).toEqual(['down 1', 'up 1', 'restore']);
  });

  it('a write the plan says stops works: the plan does not match MinIO, and the check says so', async () => {
    const { check } = setup({ read: true, write: false, because: 'sets of 2' });
    const r = await checkZoneLoss(check);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe("push of library/harbor-platform-zone-loss:zone-loss-1 worked, though the plan says writes stop: the plan's verdict does not match MinIO");
  });

  it('a refusal that takes longer than its bound, or says more than one line, is not a clean refusal', async () => {
    const slow = setup({ read: true, write: false, because: '' });
    slow.registry.whileDown = { read: true, write: false };
    slow.registry.refusalMs = 75_000;
    const a = await checkZoneLoss(slow.check);
    expect(a.reason).toMatch(/^push was refused only after 75\.0 s \(bound 60\.0 s\): /);
    const chatty = setup({ read: true, write: false, because: '' });
    chatty.registry.whileDown = { read: true, write: false };
    chatty.registry.refusal = () => new Error('Error: write quorum\n    at ErasureObjects.putObject');
    const b = await checkZoneLoss(chatty.check);
    expect(b.reason).toBe('push was refused without a one-line reason: "Error: write quorum\\n    at ErasureObjects.putObject"');
  });

  it('reads the plan says stop: each image gets one bounded attempt, and refused is the expected outcome', async () => {
    const { check, registry } = setup({ read: false, write: true, because: 'EC:1 on one set of 6' });
    registry.whileDown = { read: false, write: true };
    const r = await checkZoneLoss(check);
    expect(r.ok, r.reason).toBe(true);
    expect(registry.pulls).toBe(2 + 3); // one attempt each while away; all three after healing
    expect(r.verdicts[0]).toMatch(/^pull: 2 of 2 image\(s\) refused in 10\.0 s: /);
  });

  it('other bytes than written fail the check at once, never counted as a refusal or retried', async () => {
    const { check, registry } = setup();
    registry.corrupt = true;
    const r = await checkZoneLoss(check);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^pull of 2 image\(s\) failed, though the plan says reads survive: pull library\/nginx:1\.27: blob sha256:[0-9a-f]{64} hashes to sha256:0{64}/);
    expect(registry.pulls).toBeLessThan(5);
  });

  it('a zone that cannot be taken away: reported, and brought back and restored all the same', async () => {
    const { check, control } = setup();
    control.downError = 'pods of the zone still present after 300 s: minio-drill/minio-p0-z1-0 (terminating)';
    const r = await checkZoneLoss(check);
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('with az-1 (zone 1) away: pods of the zone still present after 300 s: minio-drill/minio-p0-z1-0 (terminating)');
    expect(r.detectMs).toBeUndefined();
    expect(control.calls).toEqual(['down 1', 'up 1', 'restore']);
  });

  it('healing that never ends: gives up at the heal bound with MinIO\'s last word', async () => {
    const { check, control, clock } = setup();
    control.unhealedReads = Infinity;
    const start = clock.now();
    const r = await checkZoneLoss({ ...check, bounds: { healMs: 5 * 60_000 } });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/bringing az-1 \(zone 1\) back: not healed 300\.0 s after the zone came back: 4\/6 drives online, 2 offline$/);
    expect(r.healMs).toBeUndefined();
    expect(clock.now() - start).toBeLessThan(35_000 + 60_000 + 5 * 60_000 + 10_000);
  });
});

describe("the plan's promise for one zone", () => {
  it('dev and prod: reads and writes survive the loss of any zone, as the pools say', () => {
    for (const env of ['dev', 'prod']) {
      const plan = loadPlan(env);
      for (const z of [0, 1, 2]) expect(zoneLossPromise(plan, z)).toMatchObject({ read: true, write: true });
    }
  });

  it('sets of 2 at EC:1: reads survive (1 data shard left), writes stop (not more than half)', () => {
    const p = zoneLossPromise(devWith({ setDriveCount: 2, tolerateZoneLoss: 'read' }), 0);
    expect(p).toMatchObject({ read: true, write: false });
    expect(p.because).toBe('1 of 2 drives of a set left at worst (EC:1, 1 data shards): reads survive, writes stop');
  });

  it('EC:1 on one set of 6: reads stop (4 drives, 5 data shards), writes survive at raised parity', () => {
    expect(zoneLossPromise(devWith({ parity: 1, tolerateZoneLoss: 'none' }), 2)).toMatchObject({ read: false, write: true });
  });

  it('refuses a zone index outside the plan', () => {
    expect(() => zoneLossPromise(loadPlan('dev'), 3)).toThrow('zone 3: give an index from 0 to 2 (the order of aws.availabilityZones)');
  });
});

describe('chooseZone', () => {
  const plan = loadPlan('prod');
  it('rotates by UTC day: consecutive nights take each AZ in turn, the same AZ all day', () => {
    const day = Date.parse('2026-11-25T00:00:00Z');
    const zones = [0, 1, 2, 3].map((d) => chooseZone(plan, 'rotate', day + d * 86_400_000 + 3 * 3600_000).zone);
    expect(new Set(zones.slice(0, 3)).size).toBe(3);
    expect(zones[3]).toBe(zones[0]);
    expect(chooseZone(plan, 'rotate', day + 1).zone).toBe(chooseZone(plan, 'rotate', day + 86_399_000).zone);
    expect(chooseZone(plan, 'rotate', day).why).toBe(`rotation: UTC day ${day / 86_400_000} mod 3 AZs`);
  });
  it('takes a named AZ, and refuses one the plan does not have', () => {
    expect(chooseZone(plan, plan.aws.availabilityZones[2]!, 0)).toEqual({ zone: 2, why: 'named in velero.drill.zoneLoss.zone' });
    expect(() => chooseZone(plan, 'eu-west-1a', 0)).toThrow(/^velero\.drill\.zoneLoss\.zone: "eu-west-1a" is not one of aws\.availabilityZones/);
  });
});

describe('sampleImages', () => {
  it('takes image manifests spread over repositories, by a tag that points at them, skipping indexes', () => {
    const [a, b, c] = [syntheticImage({ layerSizes: [10] }), syntheticImage({ layerSizes: [10] }), syntheticImage({ layerSizes: [10] })];
    const entry = (img: typeof a) => ({ mediaType: img.manifest.mediaType, size: img.manifest.bytes.length, blobs: imageRef('x', img).blobs, manifests: [] });
    const index = `sha256:${'1'.repeat(64)}`;
    const inventory = {
      repositories: [
        {
          name: 'team/a',
          tags: { v1: a.manifest.digest, multi: index },
          manifests: { [a.manifest.digest]: entry(a), [b.manifest.digest]: entry(b), [index]: { mediaType: 'application/vnd.oci.image.index.v1+json', size: 300, blobs: [], manifests: [a.manifest.digest] } },
        },
        { name: 'team/c', tags: {}, manifests: { [c.manifest.digest]: entry(c) } },
      ],
    } as unknown as Parameters<typeof sampleImages>[0];
    const picked = sampleImages(inventory, 2);
    expect(picked.map((i) => i.repository)).toEqual(['team/a', 'team/c']);
    // team/a's first image manifest by digest order: by its tag when it has one, else by digest.
    const first = [a, b].sort((x, y) => x.manifest.digest.localeCompare(y.manifest.digest))[0]!;
    expect(picked[0]).toEqual(imageRef('team/a', first, first === a ? 'v1' : undefined));
    expect(picked[1]).toEqual(imageRef('team/c', c));
    expect(sampleImages(inventory, 10)).toHaveLength(3);
  });
});
