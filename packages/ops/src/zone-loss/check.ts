import { DrillError } from '../errors.js';
import type { ZoneControl } from './control.js';
import { IntegrityError, type ImageRef, type ZoneLossRegistry } from './images.js';
import type { ZoneLossPromise } from './promise.js';
import type { Clock } from '../velero/wait.js';

/** Bounds of one zone-loss check (ms); defaults in one place. */
export interface ZoneLossBounds {
  /**
   * How long what the plan says survives may take to work once the zone is away. Each
   * survivor notices the loss on its own schedule; until they agree a request can fail (on
   * a busy machine a set's lockers answer late, and MinIO answers NoSuchKey for metadata its
   * survivors read differently: cmd/erasure-object.go). Seen in CI, not on an idle machine.
   */
  readonly settleMs: number;
  /** A refusal must end within this: MinIO holds a request it lacks the quorum for, and only the client's timeout ends it. */
  readonly refusalMs: number;
  /** From bringing the zone back to every object readable again. */
  readonly healMs: number;
  /** Between two attempts. */
  readonly retryMs: number;
}

export const ZONE_LOSS_BOUNDS: ZoneLossBounds = { settleMs: 120_000, refusalMs: 60_000, healMs: 10 * 60_000, retryMs: 3_000 };

export interface ZoneLossCheck {
  readonly control: ZoneControl;
  /** Index into aws.availabilityZones. */
  readonly zone: number;
  /** What the plan says survives that zone's loss (zoneLossPromise). */
  readonly promise: ZoneLossPromise;
  /** Images written before the loss, pulled back exactly while the zone is away and after it healed. */
  readonly images: ImageRef[];
  readonly registry: ZoneLossRegistry;
  /** Every object readable again, after healing: the drill's verify against the inventory. */
  readonly verify: () => Promise<{ ok: boolean; summary: string }>;
  readonly clock: Clock;
  readonly progress: (line: string) => void;
  /** Runs with the zone away, after the checks (the local suite takes a second zone away here). */
  readonly whileDown?: () => Promise<void>;
  /**
   * Counts a write MinIO held past the client's bound as surviving. Only for a layout whose
   * writes go to a pool at raised parity that a busy machine held for minutes (the local
   * two-pool layout); never in the drill.
   * @default false
   */
  readonly acceptHeldWrites?: boolean;
  readonly bounds?: Partial<ZoneLossBounds>;
}

export interface ZoneLossResult {
  /** The zone as the control names it. */
  readonly zone: string;
  readonly ok: boolean;
  readonly promise: { readonly read: boolean; readonly write: boolean };
  /** What was seen with the zone away (absent when it was not reached). */
  readonly observed: { read?: boolean; write?: boolean };
  /** One line per check: pulls, push, healing. */
  readonly verdicts: string[];
  /** Errors of refused operations, one line each (the local suite also matches their wording). */
  readonly refusals: string[];
  /** Taking the zone away until its loss was seen (the control confirmed its servers gone). */
  readonly detectMs?: number;
  /** Taking the zone away until every check had its outcome. */
  readonly settleMs?: number;
  /** Bringing the zone back until every object was readable again. */
  readonly healMs?: number;
  readonly pushed?: ImageRef;
  readonly reason?: string;
}

type Outcome = { error?: Error; ms: number; failures: string[] };

const oneLine = (e: Error) => !/[\r\n]/.test(e.message);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The AZ-loss check: take the zone away; pull every image back exactly (patiently when the
 * plan says reads survive, else one bounded attempt each, which must be refused cleanly);
 * push a new image when the plan says writes survive, else expect a clean refusal (bounded,
 * one line); bring the zone back; wait for healing (MinIO's own status when the control reads
 * it, then every image, the pushed one too, and `verify` passing); report the verdicts and the
 * times to detect and to heal. The zone is brought back on every path.
 */
export async function checkZoneLoss(c: ZoneLossCheck): Promise<ZoneLossResult> {
  const b = { ...ZONE_LOSS_BOUNDS, ...c.bounds };
  const { clock, promise } = c;
  const attempt = async (op: () => Promise<unknown>): Promise<Outcome> => {
    const started = clock.now();
    try {
      await op();
      return { ms: clock.now() - started, failures: [] };
    } catch (err) {
      return { error: err as Error, ms: clock.now() - started, failures: [] };
    }
  };
  const eventually = async (op: () => Promise<unknown>, boundMs: number): Promise<Outcome> => {
    const started = clock.now();
    const failures: string[] = [];
    for (;;) {
      const r = await attempt(op);
      const ms = clock.now() - started;
      if (!r.error || r.error instanceof IntegrityError || ms > boundMs) return { ...r, ms, failures };
      failures.push(`after ${secs(ms)}: ${r.error.message}`);
      await clock.sleep(b.retryMs);
    }
  };

  const r: { -readonly [K in keyof ZoneLossResult]: ZoneLossResult[K] } = {
    zone: c.control.describe(c.zone),
    ok: false,
    promise: { read: promise.read, write: promise.write },
    observed: {},
    verdicts: [],
    refusals: [],
  };
  const problems: string[] = [];
  /** A refused operation: bounded, one line, and never other bytes than written. */
  const refused = (what: string, o: Outcome) => {
    const e = o.error!;
    r.refusals.push(e.message);
    if (e instanceof IntegrityError) problems.push(`${what}: ${e.message}`);
    else if (o.ms > b.refusalMs) problems.push(`${what} was refused only after ${secs(o.ms)} (bound ${secs(b.refusalMs)}): ${e.message}`);
    else if (!oneLine(e)) problems.push(`${what} was refused without a one-line reason: ${JSON.stringify(e.message.slice(0, 300))}`);
    else return `refused in ${secs(o.ms)}: ${e.message}`;
    return 'refused, but not cleanly';
  };

  const lossStart = clock.now();
  c.progress(`zone loss: taking ${r.zone} away (the plan: reads ${promise.read ? 'survive' : 'stop'}, writes ${promise.write ? 'survive' : 'stop'}; ${promise.because})`);
  try {
    await c.control.down(c.zone);
    r.detectMs = clock.now() - lossStart;
    c.progress(`zone loss: ${r.zone} away, seen after ${secs(r.detectMs)}`);

    // Reads: every image, exactly.
    const pullAll = () => c.images.reduce((p, img) => p.then(() => c.registry.pull(img, true)), Promise.resolve());
    if (!c.images.length) {
      r.verdicts.push('pull: no image was written before the loss, so none to pull');
    } else if (promise.read) {
      const o = await eventually(pullAll, b.settleMs);
      r.observed.read = !o.error;
      if (o.error) problems.push(`pull of ${c.images.length} image(s) failed, though the plan says reads survive: ${[...o.failures, o.error.message].join('; ')}`);
      else r.verdicts.push(`pull of ${c.images.length} image(s): served as promised after ${secs(o.ms)}${o.failures.length ? ` (${o.failures.length} failed attempt(s) while the survivors settled)` : ''}`);
    } else {
      const outcomes = [];
      for (const img of c.images) outcomes.push({ img, o: await attempt(() => c.registry.pull(img, false)) });
      r.observed.read = outcomes.every((x) => !x.o.error);
      if (r.observed.read) problems.push(`pull of ${c.images.length} image(s) worked, though the plan says reads stop: the plan's verdict does not match MinIO`);
      const lines = outcomes.filter((x) => x.o.error).map((x) => refused(`pull ${x.img.repository}:${x.img.reference}`, x.o));
      if (!r.observed.read) r.verdicts.push(`pull: ${lines.length} of ${c.images.length} image(s) ${lines[0]}`);
    }

    // Writes: a new image, or a clean refusal.
    if (promise.write) {
      const o = await eventually(async () => (r.pushed = await c.registry.push(true)), b.settleMs);
      const held = !!c.acceptHeldWrites && !!o.error && /no answer within/.test(o.error.message);
      r.observed.write = !o.error || held;
      if (held) r.verdicts.push(`push: held by MinIO past the client's bound (accepted for this layout): ${o.error!.message}`);
      else if (o.error) problems.push(`push failed, though the plan says writes survive: ${[...o.failures, o.error.message].join('; ')}`);
      else r.verdicts.push(`push of ${r.pushed!.repository}:${r.pushed!.reference}: written as promised after ${secs(o.ms)}`);
    } else {
      const o = await attempt(async () => (r.pushed = await c.registry.push(false)));
      r.observed.write = !o.error;
      if (!o.error) problems.push(`push of ${r.pushed!.repository}:${r.pushed!.reference} worked, though the plan says writes stop: the plan's verdict does not match MinIO`);
      else r.verdicts.push(`push: ${refused('push', o)}`);
    }
    r.settleMs = clock.now() - lossStart;
    if (c.whileDown) await c.whileDown();
  } catch (err) {
    problems.push(`with ${r.zone} away: ${(err as Error).message}`);
  }

  // Back, and healed: on every path, so a failed check leaves nothing away.
  const upStart = clock.now();
  try {
    await c.control.up(c.zone);
    c.progress(`zone loss: ${r.zone} back after ${secs(clock.now() - upStart)}; waiting for healing`);
    const deadline = upStart + b.healMs;
    if (c.control.healStatus) {
      for (let s = await c.control.healStatus(); !s.healed; s = await c.control.healStatus()) {
        if (clock.now() >= deadline) throw new DrillError(`not healed ${secs(b.healMs)} after the zone came back: ${s.detail}`);
        await clock.sleep(b.retryMs);
      }
    }
    const again = [...c.images, ...(r.pushed ? [r.pushed] : [])];
    let summary = '';
    const healed = await eventually(async () => {
      for (const img of again) await c.registry.pull(img, true);
      const v = await c.verify();
      summary = v.summary;
      if (!v.ok) throw new DrillError(`verify: ${v.summary}`);
    }, Math.max(0, deadline - clock.now()));
    if (healed.error) throw new DrillError(`not every object readable ${secs(clock.now() - upStart)} after the zone came back: ${[...healed.failures.slice(-3), healed.error.message].join('; ')}`);
    r.healMs = clock.now() - upStart;
    r.verdicts.push(`healed after ${secs(r.healMs)}: ${again.length} image(s) pulled exactly, ${summary}`);
  } catch (err) {
    problems.push(`bringing ${r.zone} back: ${(err as Error).message}`);
  } finally {
    try {
      await c.control.restore();
    } catch (err) {
      problems.push(`restoring ${r.zone}: ${(err as Error).message}`);
    }
  }
  r.ok = problems.length === 0;
  if (!r.ok) r.reason = problems.join('; ');
  c.progress(`zone loss: ${r.ok ? 'passed' : `FAILED: ${r.reason}`}`);
  return r;
}
