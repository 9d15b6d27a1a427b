/** Bad arguments: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

/** An expected failure with a clear one-line reason: printed as is, exit 1. */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Where a command writes; tests swap these for buffers. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** Reads a string option, refusing a missing one with a usage error. */
export function requireString(args: ParsedArgs, name: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * Reads a whole-number option; a bad one is refused naming the option, the value and the range:
 * `--concurrency: "abc" is not a whole number from 1 to 256: use e.g. 8`.
 */
export function intOption(args: ParsedArgs, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = args.values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name}: "${String(v)}" is not a whole number ${range}: use e.g. ${fallback}`);
  }
  return n;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `15m`, `1h`, `500ms`; a bare number is seconds. */
function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Reads a duration option in milliseconds: a whole number with a unit (`500ms`, `90s`, `15m`,
 * `1h`) or a bare number of seconds. A bad one is refused naming the option:
 * `--timeout: "abc" is not a duration: use e.g. 90s, 15m`.
 */
export function durationOption(args: ParsedArgs, name: string, fallbackMs: number, minMs = 1000, maxMs = Number.MAX_SAFE_INTEGER): number {
  const v = args.values[name];
  if (v === undefined) return fallbackMs;
  const m = typeof v === 'string' ? /^(\d+)(ms|s|m|h)?$/.exec(v.trim()) : null;
  if (!m) throw new UsageError(`--${name}: "${String(v)}" is not a duration: use e.g. 90s, 15m`);
  const ms = Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!;
  if (ms < minMs || ms > maxMs) {
    const range = maxMs === Number.MAX_SAFE_INTEGER ? `at least ${formatDuration(minMs)}` : `from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
    throw new UsageError(`--${name}: "${v}" is out of range: use ${range}`);
  }
  return ms;
}
