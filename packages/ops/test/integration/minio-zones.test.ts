/**
 * The plan's promises on the real MinIO server. For dev, prod and four variants, a private
 * stack runs MinIO exactly as the plan lays it out (scripts/local-stack/up --layout-from):
 * the layout MinIO reports equals the plan's, and with the plan's worst zone down a push and
 * a pull through the registry succeed exactly when the plan says they survive. With two zones
 * down both fail; with the zones back the cluster heals and `verify --all` passes against the
 * inventory taken before the loss. Layouts the plan refuses are refused by MinIO too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironmentFile, type EnvironmentPlan } from '@harbor-platform/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/registry/client.js';
import type { SyntheticImage } from '../../src/registry/synthetic.js';
import { devVariant, startLayoutStack, type LayoutStack } from '../support/layout-stack.js';
import { adminInfoLayout, planLayout, pullImage, worstZone } from '../support/minio-layout.js';
import { ensureCliBuilt, pushImage, runCli, uniqueName } from '../support/registry-tools.js';

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

/**
 * A registry client on the layout's registry. `retries: 0` and a short timeout for what must
 * fail: with most lockers gone MinIO waits for lock quorum (minutes), and distribution's S3
 * driver has no timeout of its own, so the only bound is the client's.
 */
function client(stack: LayoutStack, retries = 2, timeoutMs = 20_000): RegistryClient {
  const { url, username, password } = stack.registry;
  return new RegistryClient({ url, credentials: { username, password }, timeoutMs, retries });
}

function cliEnv(stack: LayoutStack): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('HARBOR_PLATFORM_')) delete env[key];
  return { ...env, HARBOR_PLATFORM_REGISTRY_USERNAME: stack.registry.username, HARBOR_PLATFORM_REGISTRY_PASSWORD: stack.registry.password };
}

/** Settles a registry operation: undefined when it worked, the error otherwise, and how long it took. */
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
 * How long the survivors may take to settle into the degraded state. `zone down` returns once
 * MinIO counts the zone's drives offline, but each server notices the loss on its own schedule,
 * and until they agree a request can fail: on a busy machine a set's lockers answer late, and
 * MinIO answers NoSuchKey when the metadata it read does not agree (cmd/erasure-object.go turns
 * an InsufficientReadQuorum over inconsistent metadata into not found), so the registry says
 * "manifest unknown" for an image that is there. Seen in CI, not on an idle machine.
 */
const SETTLE_MS = 120_000;

/**
 * What the plan says survives: repeated attempts until one works or SETTLE_MS has passed; the
 * error of the last attempt when none did, and every earlier failure for the message.
 */
async function eventually(op: () => Promise<unknown>): Promise<{ error?: Error; ms: number; failures: string[] }> {
  const started = Date.now();
  const failures: string[] = [];
  for (;;) {
    const r = await attempt(op);
    if (!r.error || Date.now() - started > SETTLE_MS) return { ...r, ms: Date.now() - started, failures };
    failures.push(`after ${Date.now() - started} ms: ${r.error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
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
      // A fresh cluster on a busy machine can fail the first requests after `up` (its lockers settle): the same patience as a survivor.
      const first = await eventually(async () => (before = await pushImage(client(stack), 'zones/app', 'before', [300_000, 2_000])));
      expect(first.error, first.failures.join('\n')).toBeUndefined();
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

    it('with the worst zone away, pushes and pulls exactly when the plan says they survive, failing in bounded time', async () => {
      const zone = worstZone(plan);
      const second = (zone + 1) % plan.aws.availabilityZones.length;
      const loss = layout.loss ?? 'down';
      const read = plan.minio.pools.every((p) => p.survivesZoneLossForRead);
      const write = plan.minio.pools.every((p) => p.survivesZoneLossForWrite);
      // What the plan says survives gets a patient client and SETTLE_MS to work; what it says fails, one attempt with a 10 s bound.
      const settle = (survives: boolean, op: (c: RegistryClient) => Promise<unknown>) =>
        survives
          ? eventually(() => op(client(stack)))
          : attempt(() => op(client(stack, 0, 10_000))).then((r) => ({ ...r, failures: [] as string[] }));
      await stack.zone(loss, zone);
      try {
        const pulled = await settle(read, (c) => pullImage(c, 'zones/app', 'before', before));
        const pushed = await settle(write, (c) => pushImage(c, 'zones/app', uniqueName('during'), [200_000]));
        const story = [...pulled.failures, pulled.error?.message, ...pushed.failures, pushed.error?.message].filter(Boolean).join('\n');
        const held = !!layout.heldWrites && write && /no answer within 20000 ms/.test(pushed.error?.message ?? '');
        expect({ read: !pulled.error, write: !pushed.error || held }, story).toEqual({ read, write });
        for (const failed of [pulled, ...(held ? [] : [pushed])].filter((r) => r.error)) {
          expect(failed.error!.message).toMatch(STORE_FAILED_OR_HELD);
          expect(failed.ms).toBeLessThan(60_000);
        }

        // A second zone down: no write survives in any layout of three zones. A read survives for
        // objects of a set that keeps its data shards in the one zone left (sets of 2 at EC:1 need
        // one drive; CI saw that pull succeed), so the pull must fail only where no set can.
        await stack.zone('down', second);
        const pulled2 = await attempt(() => pullImage(client(stack, 0, 10_000), 'zones/app', 'before', before));
        const pushed2 = await attempt(() => pushImage(client(stack, 0, 10_000), 'zones/app', uniqueName('two-down'), [100_000]));
        const oneZoneReads = plan.minio.pools.some((p) => p.sets.some((set) => Math.max(...set.drivesPerZone) >= p.dataShards));
        // pullImage checks every digest, so a pull that worked returned the exact image.
        if (!oneZoneReads || pulled2.error) expect(pulled2.error?.message).toMatch(STORE_FAILED_OR_HELD);
        expect(pushed2.error?.message).toMatch(STORE_FAILED_OR_HELD);
        expect(pulled2.ms + pushed2.ms).toBeLessThan(60_000);
      } finally {
        await stack.zone('up', second);
        await stack.zone(loss === 'cut' ? 'join' : 'up', zone);
      }
    }, 900_000);

    it('heals with the zones back: every drive online, verify --all passes against the inventory taken before the loss', async () => {
      // `zone up` returned once MinIO counted every drive online; every server's view converges (bounded poll).
      const deadline = Date.now() + 120_000;
      let backend: { onlineDisks?: number; offlineDisks?: number } = {};
      do {
        const info = await stack.mc(['admin', 'info', 'local', '--json']);
        backend = info.code === 0 ? ((JSON.parse(info.stdout) as { info?: { backend?: typeof backend } }).info?.backend ?? {}) : {};
        if (backend.onlineDisks === plan.minio.totals.drives && (backend.offlineDisks ?? 0) === 0) break;
        await new Promise((r) => setTimeout(r, 1_000));
      } while (Date.now() < deadline);
      expect(backend.offlineDisks ?? 0).toBe(0);
      expect(backend.onlineDisks).toBe(plan.minio.totals.drives);
      // Every drive counted online is not yet every object readable: a pool that lost read quorum
      // serves its old objects again once MinIO has healed them (CI saw a blob's body missing on
      // the first verify, two-pool layout). Healing gets SETTLE_MS; every earlier failure is kept.
      let v = { code: -1, stdout: '', stderr: '' };
      const healed = await eventually(async () => {
        v = await runCli(['verify', '--registry', stack.registry.url, '--inventory', inventory, '--all'], cliEnv(stack), 120_000);
        if (v.code !== 0) throw new Error((v.stdout + v.stderr).trim().split('\n').slice(-2).join(' '));
      });
      expect(v.code, [...healed.failures, v.stdout + v.stderr].join('\n')).toBe(0);
      expect(v.stdout).toMatch(/^verified: 0 failure\(s\)/m);
    }, 600_000);
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
