/**
 * The plan's promises on the real MinIO server. For dev, prod and four variants, a private
 * stack runs MinIO exactly as the plan lays it out (scripts/local-stack/up --layout-from):
 * the layout MinIO reports equals the plan's, and with the plan's worst zone down a push and
 * a pull through the registry succeed exactly when the plan says they survive. With two zones
 * down both fail; with the zones back the cluster heals and `verify --all` passes against the
 * inventory taken before the loss. Layouts the plan refuses are refused by MinIO too.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironmentFile, type EnvironmentPlan } from '@harbor-platform/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/format.js';
import { RegistryClient } from '../../src/registry/client.js';
import type { SyntheticImage } from '../../src/registry/synthetic.js';
import { realClock } from '../../src/velero/wait.js';
import { checkZoneLoss, ZONE_LOSS_BOUNDS } from '../../src/zone-loss/check.js';
import { RegistryZoneProbe, sampleImages } from '../../src/zone-loss/images.js';
import { zoneLossPromise } from '../../src/zone-loss/promise.js';
import { devVariant, startLayoutStack, type LayoutStack } from '../support/layout-stack.js';
import { LocalStackZoneControl } from '../support/local-zone-control.js';
import { adminInfoLayout, planLayout, worstZone } from '../support/minio-layout.js';
import { ensureCliBuilt, pushImage, runCli } from '../support/registry-tools.js';

const pool = (serversPerAz: number, drivesPerServer: number) => ({ serversPerAz, drivesPerServer, driveSize: '50Gi' });

/** Layouts laid out and broken; `source` is an environment name or a YAML file. */
const LAYOUTS: { title: string; source: () => string; loss?: 'down' | 'cut'; heldWrites?: true }[] = [
  { title: 'dev', source: () => 'dev' },
  { title: 'prod', source: () => 'prod' },
  { title: '3 servers per zone, 1 drive each', source: () => devVariant('s3d1', { pools: [pool(3, 1)] }) },
  // Sets of 2 drives in 2 zones, EC:1: one drive left keeps read quorum (1), not write quorum (2).
  { title: 'sets of 2 (reads survive a zone loss, writes do not)', source: () => devVariant('sdc2', { setDriveCount: 2, tolerateZoneLoss: 'read' }) },
  // One set of 6 at EC:1: a zone loss leaves 4 drives, below the 5 data shards of the objects
  // written before it (one set, so every object is hit); MinIO still writes new ones, at EC:3.
  { title: 'parity 1 on one set of 6 (old objects lost, new writes at raised parity)', source: () => devVariant('p1', { parity: 1, tolerateZoneLoss: 'none' }) },
  // MinIO applies the first pool's standard parity (EC:3 of its 6-drive set) to the 12-drive set of the
  // second, whose objects then need 9 of its 12 drives: a zone (4) away leaves 8. A new object then goes
  // to that pool (cmd/erasure-server-pool.go getPoolInfoExistingWithOpts sends a write to the pool
  // that answered "read quorum"), at raised parity: 7 of its 8 drives suffice, and on an idle machine
  // the push works. On a busy one (CI, or load 15 on 2 cores here) MinIO held every new write past
  // two minutes: `heldWrites` accepts that one outcome for the write, nothing else.
  { title: 'two pools (1 x 2 and 1 x 4 drives)', source: () => devVariant('pools2', { pools: [pool(1, 2), pool(1, 4)], tolerateZoneLoss: 'none' }), heldWrites: true },
];

beforeAll(() => ensureCliBuilt());

/** Registry credentials of a CLI process on the layout's registry. */
function cliEnv(stack: LayoutStack): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('HARBOR_PLATFORM_')) delete env[key];
  return { ...env, HARBOR_PLATFORM_REGISTRY_USERNAME: stack.registry.username, HARBOR_PLATFORM_REGISTRY_PASSWORD: stack.registry.password };
}

/** The probe the drill uses, on the layout's registry. */
function probe(stack: LayoutStack): RegistryZoneProbe {
  const { url, username, password } = stack.registry;
  return new RegistryZoneProbe({ url, credentials: { username, password }, repository: 'zones/app' });
}

/** Settles one operation: the error when it failed, and how long it took. */
async function attempt(op: () => Promise<unknown>): Promise<{ error?: Error; ms: number }> {
  const started = Date.now();
  try {
    await op();
    return { ms: Date.now() - started };
  } catch (err) {
    return { error: err as Error, ms: Date.now() - started };
  }
}

/**
 * A failed push or pull: the registry's error names the store (distribution's S3 driver), or,
 * as MinIO does when a set lacks quorum (it logs "Write quorum could not be established" and
 * holds the request), the registry holds it too (its S3 driver has no timeout) until the client's bound.
 */
const STORE_FAILED_OR_HELD = /s3aws|storage|quorum|no answer within 10000 ms/i;

for (const layout of LAYOUTS) {
  describe(`MinIO laid out by the plan: ${layout.title}`, () => {
    let stack: LayoutStack;
    let plan: EnvironmentPlan;
    let before: SyntheticImage;
    const dir = mkdtempSync(join(tmpdir(), 'zones-'));
    const inventory = join(dir, 'inventory.json');

    beforeAll(async () => {
      stack = await startLayoutStack(layout.source());
      plan = stack.plan;
      // A fresh cluster on a busy machine can fail the first requests after `up` (its lockers settle): patience, bounded.
      const deadline = Date.now() + ZONE_LOSS_BOUNDS.settleMs;
      for (;;) {
        const client = new RegistryClient({ url: stack.registry.url, credentials: stack.registry, retries: 2, timeoutMs: 20_000 });
        const first = await attempt(async () => (before = await pushImage(client, 'zones/app', 'before', [300_000, 2_000])));
        if (!first.error) break;
        if (Date.now() > deadline) throw first.error;
        await new Promise((r) => setTimeout(r, 3_000));
      }
      const r = await runCli(['inventory', '--registry', stack.registry.url, '--out', inventory], cliEnv(stack));
      expect(r.code, r.stderr).toBe(0);
    }, 300_000);

    afterAll(async () => {
      await stack?.down();
    }, 150_000);

    it('reports the pools, erasure sets, drives per set, parity and drive placement of the plan', async () => {
      const info = await stack.mc(['admin', 'info', 'local', '--json']);
      expect(info.code, info.stderr).toBe(0);
      expect(adminInfoLayout(JSON.parse(info.stdout))).toEqual(planLayout(plan));
    });

    it('with the worst zone away, pulls and pushes exactly as the plan promises (the drill\'s checkZoneLoss), then heals: every drive online, verify --all passes', async () => {
      const zone = worstZone(plan);
      const second = (zone + 1) % plan.aws.availabilityZones.length;
      const promise = zoneLossPromise(plan, zone);
      // The per-zone promise agrees with the pools' verdicts (the layouts here are symmetric).
      const every = (f: (p: EnvironmentPlan['minio']['pools'][number]) => boolean) => plan.minio.pools.every(f);
      const pools = { read: every((p) => p.survivesZoneLossForRead), write: every((p) => p.survivesZoneLossForWrite) };
      expect({ read: promise.read, write: promise.write }).toEqual(pools);
      const control = new LocalStackZoneControl(stack, layout.loss ?? 'down');
      const registry = probe(stack);
      const images = sampleImages(parseInventory(readFileSync(inventory, 'utf8'), inventory), 5);
      expect(images.find((i) => i.reference === 'before')?.manifest).toBe(before.manifest.digest);
      const log: string[] = [];
      const twoDown: { pulled?: { error?: Error; ms: number }; pushed?: { error?: Error; ms: number } } = {};
      const result = await checkZoneLoss({
        control,
        zone,
        promise,
        images,
        registry,
        verify: async () => {
          const v = await runCli(['verify', '--registry', stack.registry.url, '--inventory', inventory, '--all'], cliEnv(stack), 120_000);
          const out = (v.stdout + v.stderr).trim();
          return { ok: v.code === 0 && /^verified: 0 failure\(s\)/m.test(v.stdout), summary: out.split('\n').slice(-2).join(' ') };
        },
        clock: realClock,
        progress: (l) => log.push(`${new Date().toISOString()} ${l}`),
        acceptHeldWrites: layout.heldWrites,
        // A second zone down: no write survives in any layout of three zones. A read survives for
        // objects of a set that keeps its data shards in the one zone left (sets of 2 at EC:1 need
        // one drive; CI saw that pull succeed), so the pull must fail only where no set can.
        whileDown: async () => {
          await control.down(second);
          try {
            twoDown.pulled = await attempt(() => registry.pull(images.find((i) => i.reference === 'before')!, false));
            twoDown.pushed = await attempt(() => registry.push(false));
          } finally {
            await control.up(second);
          }
        },
      });
      process.stderr.write(`zone loss, ${layout.title}: ${result.zone}: detect ${result.detectMs} ms, settle ${result.settleMs} ms, heal ${result.healMs} ms\n`);
      const story = [...log, ...result.verdicts].join('\n');
      expect(result.ok, `${result.reason}\n${story}`).toBe(true);
      expect(result.observed, story).toEqual({ read: promise.read, write: promise.write });
      for (const refusal of result.refusals) expect(refusal).toMatch(STORE_FAILED_OR_HELD);
      expect(result.healMs).toBeGreaterThan(0);

      const oneZoneReads = plan.minio.pools.some((p) => p.sets.some((set) => Math.max(...set.drivesPerZone) >= p.dataShards));
      // probe.pull checks every digest, so a pull that worked returned the exact image.
      if (!oneZoneReads || twoDown.pulled!.error) expect(twoDown.pulled!.error?.message).toMatch(STORE_FAILED_OR_HELD);
      expect(twoDown.pushed!.error?.message).toMatch(STORE_FAILED_OR_HELD);
      expect(twoDown.pulled!.ms + twoDown.pushed!.ms).toBeLessThan(60_000);
    }, 1_500_000);
  });
}

describe('layouts the plan refuses, MinIO refuses', () => {
  const refused = [
    // Parity above half the set: the plan's error, and MinIO's storage-class check.
    { title: 'parity 4 on sets of 6', minio: { parity: 4, tolerateZoneLoss: 'none' }, env: ['MINIO_STORAGE_CLASS_STANDARD=EC:4'], plan: /EC:4 is above half/, server: /parity|storage class/i },
    // 6 drives do not divide into sets of 4.
    { title: 'sets of 4 over 6 drives', minio: { setDriveCount: 4, tolerateZoneLoss: 'none' }, env: ['MINIO_ERASURE_SET_DRIVE_COUNT=4'], plan: /cannot form erasure sets/, server: /set drive count|erasure set/i },
  ];
  for (const r of refused) {
    it(`${r.title}: the plan refuses it, and MinIO started with it exits`, async () => {
      const loaded = loadEnvironmentFile(devVariant(`refused-${r.env.length}-${r.title.length}`, r.minio));
      expect(loaded.ok).toBe(false);
      expect(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(r.plan);
      // The dev layout's command line with the environment the refused config would have given the servers.
      await expect(startLayoutStack('dev', r.env)).rejects.toThrow(r.server);
    }, 300_000);
  }
});
