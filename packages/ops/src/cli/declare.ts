import { parseArgs } from 'node:util';
import { UsageError, type Io } from './command.js';
import { renderHelp } from './help.js';
import { parseArgsUsageError } from './parse-errors.js';

/**
 * One option of a command, declared once: node:util parseArgs reads it, `--help` lists it, and
 * the command's `run` gets its value typed from it (the model is aws-cdk-cli's cli-config.ts).
 */
export type OptionSpec = StringOptionSpec | BooleanOptionSpec;

/** `--name <placeholder>`: a string value. */
export interface StringOptionSpec {
  readonly type: 'string';
  /** What the value is, as help shows it: `<file>`, `<url>`. */
  readonly placeholder: string;
  /** One or more lines for `--help`; lines after the first are indented under it. */
  readonly description: string;
  /** Refused before the command runs when missing: `--name is required`. @default false */
  readonly required?: boolean;
  /** The value when the option is not given; help says `(default <value>)`. */
  readonly default?: string;
  /**
   * A default the command works out itself (from the config, another option), shown in help
   * as `(default <text>)` but not given to the parser, so `run` sees the option as unset.
   */
  readonly defaultText?: string;
}

/** `--name`: a flag, true when given. */
export interface BooleanOptionSpec {
  readonly type: 'boolean';
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** An environment variable a command reads, as help lists it. */
export interface EnvironmentSpec {
  /** The variable, or several that go together: `A_USERNAME, A_PASSWORD`. */
  readonly name: string;
  readonly description: string;
}

/**
 * Options several commands share, with the variables they read and how the usage line shows
 * them (`(--env <name> | --config <file>)`); spread into a command's `groups`.
 */
export interface OptionGroup<O extends OptionSpecs = OptionSpecs> {
  readonly options: O;
  /** The group's part of the usage line. @default each option, as the command's own are shown */
  readonly synopsis?: string;
  readonly environment?: readonly EnvironmentSpec[];
}

type IsSet<S> = S extends { readonly required: true } ? true : S extends { readonly default: string } ? true : false;
type ValueOf<S> = S extends { readonly type: 'boolean' } ? boolean : string;

/** The parsed values of `O`: a required or defaulted string is always there, the others may be absent. */
export type OptionValues<O extends OptionSpecs> = {
  -readonly [K in keyof O as IsSet<O[K]> extends true ? K : never]: ValueOf<O[K]>;
} & {
  -readonly [K in keyof O as IsSet<O[K]> extends true ? never : K]?: ValueOf<O[K]>;
};

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The options of a list of groups, merged. */
export type GroupOptions<G extends readonly OptionGroup[]> = G extends readonly [] ? {} : UnionToIntersection<G[number]['options']>;

/** What a command's `run` gets. */
export interface Args<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: string[];
}

/** Positional arguments: how many, and how help names them. */
export interface PositionalSpec {
  /** As the usage line shows them: `<file.yaml>`. */
  readonly placeholder: string;
  readonly min: number;
  readonly max: number;
}

/** What the `run` of a command with options `O` and groups `G` gets. */
export type CommandArgs<O extends OptionSpecs, G extends readonly OptionGroup[] = []> = Args<O & GroupOptions<G>>;

/** The declaration {@link defineCommand} takes. */
export interface CommandSpec<O extends OptionSpecs, G extends readonly OptionGroup[]> {
  readonly name: string;
  /**
   * The usage line(s), each starting with the command's name, when the generated one (the
   * groups' synopses, then each option: required ones bare, others in brackets, then the
   * positionals) cannot say it (alternatives); a test holds them to the declared options.
   */
  readonly usage?: readonly string[];
  /** What the command does, with any sections (access, checks) before the options. */
  readonly description: string;
  /** Shared option groups; their options come first, in the groups' order. */
  readonly groups?: G;
  readonly options: O;
  /** @default none */
  readonly positionals?: PositionalSpec;
  readonly environment?: readonly EnvironmentSpec[];
  /** `0 ..., 1 ...`: what the command's exit statuses mean (the overview lists the general ones). */
  readonly exitStatus?: string;
  run(args: CommandArgs<O, G>, io: Io): Promise<number>;
}

/** One `harbor-platform <name>` command, as {@link defineCommand} makes it. */
export interface Command<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** Everything `--help` prints after `usage: harbor-platform `, generated from the declaration. */
  readonly help: string;
  /** Every option, the groups' included. */
  readonly options: OptionSpecs;
  readonly usage: readonly string[];
  readonly positionals?: PositionalSpec;
  readonly environment: readonly EnvironmentSpec[];
  /** Parses `argv` against the declaration; a bad or missing option is a {@link UsageError} naming it. */
  parse(argv: string[]): Args<O>;
  run(args: Args<O>, io: Io): Promise<number>;
}

/** Declares an option group; see {@link OptionGroup}. */
export function defineOptionGroup<const O extends OptionSpecs>(group: OptionGroup<O>): OptionGroup<O> {
  return group;
}

/**
 * Declares a command: its options, positionals and variables once, its help generated from
 * them, its arguments parsed and checked (required options) before `run` sees them typed.
 */
export function defineCommand<const O extends OptionSpecs, const G extends readonly OptionGroup[] = []>(
  spec: CommandSpec<O, G>,
): Command<O & GroupOptions<G>> {
  const groups: readonly OptionGroup[] = spec.groups ?? [];
  const options: OptionSpecs = Object.assign({}, ...groups.map((g) => g.options), spec.options) as OptionSpecs;
  const grouped = new Set(groups.flatMap((g) => (g.synopsis ? Object.keys(g.options) : [])));
  const usage = spec.usage ?? [
    [
      spec.name,
      ...groups.flatMap((g) => (g.synopsis ? [g.synopsis] : [])),
      ...Object.entries(options).filter(([name]) => !grouped.has(name)).map(([name, o]) => synopsisOf(name, o)),
      ...(spec.positionals ? [spec.positionals.min > 0 ? spec.positionals.placeholder : `[${spec.positionals.placeholder}]`] : []),
    ].join(' '),
  ];
  const environment = [...groups.flatMap((g) => g.environment ?? []), ...(spec.environment ?? [])];
  const command: Command<O & GroupOptions<G>> = {
    name: spec.name,
    usage,
    options,
    positionals: spec.positionals,
    environment,
    help: renderHelp({ usage, description: spec.description, options, environment, exitStatus: spec.exitStatus }),
    parse: (argv) => parseDeclared(options, spec.positionals, argv) as CommandArgs<O, G>,
    run: (args, io) => spec.run(args, io),
  };
  return command;
}

function synopsisOf(name: string, o: OptionSpec): string {
  const text = o.type === 'string' ? `--${name} ${o.placeholder}` : `--${name}`;
  return o.type === 'string' && o.required ? text : `[${text}]`;
}

/** node:util parseArgs over the declaration, then the checks it does not make (required options, positional count). */
function parseDeclared(options: OptionSpecs, positionals: PositionalSpec | undefined, argv: string[]): Args<OptionSpecs> {
  const { min, max } = positionals ?? { min: 0, max: 0 };
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, o.type === 'string' && o.default !== undefined ? { type: o.type, default: o.default } : { type: o.type }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: max > 0, strict: true, tokens: true });
  } catch (err) {
    throw parseArgsUsageError(err, options, argv);
  }
  // parseArgs keeps the last of a repeated option: `--env dev --env prod` would run on prod
  // without a word. Every option here takes one value, so a repeat is a mistake to name.
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name}: given more than once: give it once`);
    seen.add(token.name);
  }
  if (parsed.positionals.length < min) throw new UsageError(`expected ${min === max ? min : `at least ${min}`} argument(s)`);
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  for (const [name, o] of Object.entries(options)) {
    if (o.type === 'string' && o.required && (parsed.values[name] === undefined || parsed.values[name] === '')) {
      throw new UsageError(`--${name} is required`);
    }
  }
  return parsed as unknown as Args<OptionSpecs>;
}
