import { TERMINAL_PHASES } from './types.js';

/** Time as the waits see it; tests pass a fake that advances on sleep. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export interface WaitOptions {
  readonly clock: Clock;
  /** Give up at this time (ms since epoch). */
  readonly deadline: number;
  /** Between two reads. @default 10_000 */
  readonly pollMs?: number;
  /** One line per read (phase and progress). */
  readonly progress?: (line: string) => void;
}

export type WaitResult<T> =
  | { readonly outcome: 'finished'; readonly object: T; readonly phase: string }
  | { readonly outcome: 'timeout'; readonly last?: T; readonly phase?: string }
  | { readonly outcome: 'gone' };

interface Phased {
  status?: { phase?: string; progress?: { totalItems?: number; itemsRestored?: number; itemsBackedUp?: number } };
}

/**
 * Reads a Velero object until its phase is terminal or the deadline passes. Never
 * waits past the deadline; a read that finds nothing (deleted under us) ends the wait.
 */
export async function waitForVelero<T extends Phased>(read: () => Promise<T | undefined>, what: string, o: WaitOptions): Promise<WaitResult<T>> {
  const pollMs = o.pollMs ?? 10_000;
  const started = o.clock.now();
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (!last) return { outcome: 'gone' };
    const phase = last.status?.phase ?? 'New';
    const p = last.status?.progress;
    const done = p?.itemsRestored ?? p?.itemsBackedUp;
    const items = p?.totalItems ? ` ${done ?? 0}/${p.totalItems} items` : '';
    o.progress?.(`${what}: ${phase}${items} after ${Math.round((o.clock.now() - started) / 1000)}s`);
    if ((TERMINAL_PHASES as readonly string[]).includes(phase)) return { outcome: 'finished', object: last, phase };
    const left = o.deadline - o.clock.now();
    if (left <= 0) return { outcome: 'timeout', last, phase };
    await o.clock.sleep(Math.min(pollMs, left));
  }
}
