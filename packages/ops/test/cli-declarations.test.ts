import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/command.js';
import { defineCommand, type Command, type OptionSpec } from '../src/cli/declare.js';
import { optionTerm } from '../src/cli/help.js';
import { main } from '../src/cli.js';
import { COMMANDS } from '../src/commands/index.js';

const loaded: [string, Command][] = await Promise.all(COMMANDS.map(async (c) => [c.name, await c.load()] as [string, Command]));

/** The `options:` section of a help text: the `--name` each entry starts with. */
function listedOptions(help: string): string[] {
  const section = /\noptions:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '';
  return [...section.matchAll(/^ {2}--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!);
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('every command: its help is generated from its declaration', () => {
  it.each(loaded)('%s lists exactly its declared options, each with its placeholder, in order', (_name, command) => {
    const declared = Object.keys(command.options);
    expect(declared.length).toBeGreaterThan(0);
    expect(listedOptions(command.help)).toEqual(declared);
    for (const [name, o] of Object.entries(command.options)) expect(command.help).toMatch(new RegExp(`^ {2}${escape(optionTerm(name, o))}( |$)`, 'm'));
  });

  it.each(loaded)('%s: its usage line names only declared options, and every required one', (name, command) => {
    const usage = command.help.split('\n\n')[0]!;
    const [first, ...more] = usage.split('\n');
    expect(first!.startsWith(`${name} `)).toBe(true);
    // A further usage line is aligned under the first, as `usage: harbor-platform <name> ...`.
    for (const line of more) expect(line.startsWith(`       harbor-platform ${name} `), line).toBe(true);
    for (const m of usage.matchAll(/--([a-z][a-z0-9-]*)/g)) expect(Object.keys(command.options), `--${m[1]}`).toContain(m[1]);
    for (const [option, o] of Object.entries(command.options)) if (o.type === 'string' && o.required) expect(usage).toContain(optionTerm(option, o));
  });

  it.each(loaded)('%s: every variable it declares is in its help, under environment:', (_name, command) => {
    const section = /\nenvironment:\n([\s\S]*?)(?:\n\n|$)/.exec(command.help)?.[1] ?? '';
    for (const e of command.environment) expect(section).toContain(`  ${e.name}`);
  });

  it.each(loaded.filter(([, c]) => Object.values(c.options).some((o) => o.type === 'string' && o.required)))(
    '%s refuses each missing required option, naming it (exit 2, with the usage)',
    async (name, command) => {
      const required = Object.entries(command.options).filter(([, o]) => o.type === 'string' && o.required);
      for (const [missing] of required) {
        const others = required.filter(([n]) => n !== missing).flatMap(([n]) => [`--${n}`, 'x']);
        const r = await cli(name, ...others);
        expect(r.code, `--${missing}`).toBe(2);
        expect(r.out).toBe('');
        expect(r.err.split('\n')[0]).toBe(`harbor-platform ${name}: --${missing} is required`);
        expect(r.err).toContain(`usage: harbor-platform ${name} `);
      }
    },
  );

  it('a default the parser applies is shown, and one the command works out is shown but left unset', () => {
    const registryBackup = loaded.find(([n]) => n === 'registry-backup')![1];
    expect(registryBackup.help).toMatch(/^ {2}--concurrency <n> +objects in flight at once \(default 8\)$/m);
    expect(registryBackup.parse(['--registry', 'http://127.0.0.1:1', '--source', 's3://a', '--target', 's3://b']).values).toMatchObject({ concurrency: '8', timeout: '30s' });
    const drift = loaded.find(([n]) => n === 'drift')![1];
    expect(drift.help).toMatch(/^ {2}--assembly <dir> +cloud assembly \(default apps\/platform\/cdk\.out\)$/m);
    expect(drift.parse(['--env', 'dev']).values).not.toHaveProperty('assembly');
  });
});

describe('defineCommand', () => {
  const options = {
    name: { type: 'string', placeholder: '<name>', required: true, description: 'who' },
    count: { type: 'string', placeholder: '<n>', default: '3', description: 'how many\nof them' },
    loud: { type: 'boolean', description: 'shout' },
  } satisfies Record<string, OptionSpec>;
  const seen: unknown[] = [];
  const greet = defineCommand({
    name: 'greet',
    description: 'Greets.',
    options,
    positionals: { placeholder: '<place>', min: 0, max: 1 },
    environment: [{ name: 'GREETING', description: 'the word' }],
    exitStatus: '0 greeted',
    run: async (args) => {
      // Typed: a required or defaulted option is a string, a flag a boolean.
      const name: string = args.values.name;
      const count: string = args.values.count;
      const loud: boolean | undefined = args.values.loud;
      seen.push({ name, count, loud, positionals: args.positionals });
      return 0;
    },
  });

  it('generates the usage line, options with descriptions and defaults, the environment and exit status', () => {
    expect(greet.help).toBe(
      [
        'greet --name <name> [--count <n>] [--loud] [<place>]',
        '',
        'Greets.',
        '',
        'options:',
        '  --name <name>  who',
        '  --count <n>    how many',
        '                 of them (default 3)',
        '  --loud         shout',
        '',
        'environment:',
        '  GREETING  the word',
        '',
        'exit status: 0 greeted',
      ].join('\n'),
    );
  });

  it('parses into typed values, with the default applied', async () => {
    expect(await greet.run(greet.parse(['--name', 'ada', 'home']), { out: () => {}, err: () => {} })).toBe(0);
    expect(seen.pop()).toEqual({ name: 'ada', count: '3', loud: undefined, positionals: ['home'] });
  });

  it.each([
    [['--count', '2'], '--name is required'],
    [['--name', ''], '--name is required'],
    [['--name', 'ada', 'a', 'b'], 'unexpected argument "b"'],
    [['--name', 'ada', '--shout'], '--shout: unknown option: --help lists the options'],
    [['--name', 'ada', '--lound'], '--lound: unknown option: did you mean --loud?'],
    [['--name', 'ada', '--cou', '2'], '--cou: unknown option: did you mean --count?'],
    [['-n', 'ada'], '-n: unknown option: did you mean --name?'],
    [['--name'], '--name: needs a value: give --name <name>'],
    [['--name', 'ada', '--loud=yes'], '--loud: takes no value ("yes" given): give --loud alone'],
    [['--name', 'ada', '--count', '-5'], '--count: "-5" reads as an option, not a value: give --count <n>, or --count=-5 if that is the value'],
    [['--name', '--loud'], '--name: "--loud" reads as an option, not a value: give --name <name>, or --name=--loud if that is the value'],
  ])('refuses %j in one line: %s', (argv, message) => {
    expect(() => greet.parse(argv)).toThrow(UsageError);
    expect(() => greet.parse(argv)).toThrow(new UsageError(message));
  });

  it('takes a value starting with "-" given as --name=value', () => {
    expect(greet.parse(['--name', 'ada', '--count=-5']).values).toMatchObject({ count: '-5' });
  });
});

describe('parse errors as the user sees them: one line, then the synopsis and where the options are', () => {
  it.each([
    [['plan', '--env', 'dev', '--bogus'], '--bogus: unknown option: --help lists the options'],
    [['plan', '--env', 'dev', '--jsn'], '--jsn: unknown option: did you mean --json?'],
    [['plan', '--env'], '--env: needs a value: give --env <name>'],
    [['plan', '--env', 'dev', '--json=1'], '--json: takes no value ("1" given): give --json alone'],
    [['smoke', '--registry', 'http://127.0.0.1:1', '--size', '-5'], '--size: "-5" reads as an option, not a value: give --size <bytes>, or --size=-5 if that is the value'],
    [['github-outputs', '--plan', 'p.json', 'extra'], 'unexpected argument "extra"'],
  ])('%j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([`harbor-platform ${args[0]}: ${message}`, expect.stringMatching(new RegExp(`^usage: harbor-platform ${args[0]} `)), `Run "harbor-platform ${args[0]} --help" for its options.`]);
  });
});

describe('the program before a command', () => {
  it.each([
    [['--bogus'], 'harbor-platform: --bogus: unknown option: "harbor-platform --help" lists the commands, each with its own options'],
    [['--verison'], 'harbor-platform: --verison: unknown option: did you mean --version?'],
    [['help', 'plan', 'extra'], 'harbor-platform: help: unexpected argument "extra": give one command, as in "harbor-platform help plan"'],
    [['--version', 'extra'], 'harbor-platform: --version: unexpected argument "extra": run "harbor-platform --version" alone'],
    [['--help', 'plan'], 'harbor-platform: --help: unexpected argument "plan": run "harbor-platform --help" alone'],
  ])('%j is a usage error in one line (exit 2)', async (args, line) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(line);
  });

  it.each([[['help', 'plan']], [['help']], [['--version']], [['help', 'help']]])('%j still works (exit 0)', async (args) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^(usage: )?harbor-platform /);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
