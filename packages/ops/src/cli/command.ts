import type { ParseArgsConfig } from 'node:util';

/** Bad arguments: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

/** An expected failure with a clear one-line reason: printed as is, exit 1. */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes; tests swap these for buffers. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** One `harbor-platform <name>` command. */
export interface Command {
  readonly name: string;
  /** Usage and option lines shown by `--help`. */
  readonly help: string;
  readonly options: Options;
  /** How many positional arguments it takes. @default 0 */
  readonly positionals?: { min: number; max: number };
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** Reads a string option, refusing a missing one with a usage error. */
export function requireString(args: ParsedArgs, name: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** Reads a positive integer option. */
export function intOption(args: ParsedArgs, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = args.values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${String(v)}"`);
  return n;
}
