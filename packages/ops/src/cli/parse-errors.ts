import { parseArgs } from 'node:util';
import { UsageError } from './command.js';
import type { OptionSpecs } from './declare.js';
import { optionTerm } from './help.js';

/**
 * Turns a node:util parseArgs error into one line in the project's form, `--name: problem: fix`,
 * chosen by the error's `code`; the option and value come from a lenient parse of the same
 * arguments (its tokens), not from Node's message, whose wording is not an interface.
 * @returns a {@link UsageError}; an error that is not parseArgs' keeps Node's message
 * @see https://nodejs.org/api/util.html#utilparseargsconfig
 */
export function parseArgsUsageError(err: unknown, options: OptionSpecs, argv: readonly string[]): UsageError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const tokens = parseArgs({ args: [...argv], options: lenientConfig(options), strict: false, allowPositionals: true, tokens: true }).tokens;
  const given = tokens.filter((t) => t.kind === 'option');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const unknown = given.find((t) => !(t.name in options));
    if (unknown) return unknownOption(unknown.rawName, Object.keys(options), '--help lists the options');
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    for (const t of given) {
      const o = options[t.name];
      if (!o) continue;
      const term = optionTerm(t.name, o);
      if (o.type === 'boolean' && t.value !== undefined) return new UsageError(`--${t.name}: takes no value ("${t.value}" given): give --${t.name} alone`);
      if (o.type === 'string' && t.value === undefined) return new UsageError(`--${t.name}: needs a value: give ${term}`);
      if (o.type === 'string' && !t.inlineValue && t.value?.startsWith('-')) {
        return new UsageError(`--${t.name}: "${t.value}" reads as an option, not a value: give ${term}, or --${t.name}=${t.value} if that is the value`);
      }
    }
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const extra = tokens.find((t) => t.kind === 'positional');
    if (extra) return new UsageError(`unexpected argument "${extra.value}"`);
  }
  return new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ''));
}

/**
 * `--bogus: unknown option: did you mean --env?` when one declared option is close (a typo, a
 * prefix, the letter of a short option), else `--bogus: unknown option: <otherwise>`.
 */
export function unknownOption(rawName: string, declared: readonly string[], otherwise: string): UsageError {
  const close = closestOption(rawName, declared);
  return new UsageError(`${rawName}: unknown option: ${close ? `did you mean --${close}?` : otherwise}`);
}

/** The one declared option `rawName` most likely meant, or undefined when none is close. */
export function closestOption(rawName: string, declared: readonly string[]): string | undefined {
  const name = rawName.replace(/^-+/, '').split('=')[0]!.toLowerCase();
  if (!name) return undefined;
  if (!rawName.startsWith('--')) {
    // `-e`: the one option starting with that letter.
    const starting = declared.filter((d) => d.startsWith(name));
    return starting.length === 1 ? starting[0] : undefined;
  }
  const prefixed = declared.filter((d) => d.startsWith(name) || name.startsWith(d));
  if (prefixed.length === 1) return prefixed[0];
  const scored = declared.map((d) => ({ d, distance: editDistance(name, d) })).sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  // A typo: at most a third of the name's letters wrong, and no tie to choose between.
  if (!best || best.distance > Math.max(1, Math.floor(name.length / 3))) return undefined;
  return scored[1]?.distance === best.distance ? undefined : best.d;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_row, i) => Array.from({ length: b.length + 1 }, (_cell, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function lenientConfig(options: OptionSpecs) {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type }]));
}
