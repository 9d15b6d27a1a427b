import { readFileSync } from 'node:fs';
import { CommandError, UsageError, type Io } from './cli/command.js';
import type { Command } from './cli/declare.js';
import { EXIT_CODES } from './cli/exit-codes.js';
import { unknownOption } from './cli/parse-errors.js';
import { COMMANDS } from './commands/index.js';
import { OpsError } from './errors.js';
import { ReportError } from './report/errors.js';

const PROG = 'harbor-platform';

/** What the program takes before a command: `help [<command>]`, `--help`, `--version`. */
const TOP_LEVEL: readonly { readonly names: readonly string[]; readonly takesCommand: boolean }[] = [
  { names: ['help'], takesCommand: true },
  { names: ['--help', '-h'], takesCommand: false },
  { names: ['--version', '-V'], takesCommand: false },
];

const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${PROG} <command> [options]`,
    '',
    'Operates the Harbor platform: validate and plan environments, prove the registry and its backups.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit status:',
    ...EXIT_CODES.map((e) => `  ${e.code}  ${e.meaning}`),
    '',
    'environment:',
    '  HARBOR_PLATFORM_DEBUG  when set, an unexpected error also prints its stack trace',
    '',
    `Run "${PROG} help <command>" (or "${PROG} <command> --help") for a command's options,`,
    `"${PROG} --version" for the version.`,
  ].join('\n');
}

/** The version of this package (lib/cli.js and bundle/cli.mjs both sit one folder below its package.json). */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function commandHelp(c: Command): string {
  return `usage: ${PROG} ${c.help.trim()}\n`;
}

/**
 * Runs one command and returns the exit code ({@link EXIT_CODES}: 0 success, 1 failure, 2 usage,
 * 3 a check could not run). Never lets an exception escape as a stack trace
 * (HARBOR_PLATFORM_DEBUG=1 shows it).
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // No command is a usage error: the overview goes where errors go.
    io.err(overview());
    return 2;
  }
  const topLevel = TOP_LEVEL.find((t) => t.names.includes(name));
  if (topLevel) {
    // `help <command>` takes one word; the others none: an extra word is a mistake to name, not to drop.
    const extra = rest[topLevel.takesCommand ? 1 : 0];
    if (extra !== undefined) {
      io.err(`${PROG}: ${name}: unexpected argument "${extra}": ${topLevel.takesCommand ? `give one command, as in "${PROG} help plan"` : `run "${PROG} ${name}" alone`}`);
      return 2;
    }
    if (name === '--version' || name === '-V') {
      io.out(`${PROG} ${cliVersion()}`);
      return 0;
    }
    // "help <command>" is "<command> --help".
    if (rest[0] !== undefined && !TOP_LEVEL.some((t) => t.names.includes(rest[0]!))) return main([rest[0], '--help'], io);
    io.out(overview());
    return 0;
  }
  if (name.startsWith('-')) {
    const flags = TOP_LEVEL.flatMap((t) => t.names.filter((n) => n.startsWith('--')).map((n) => n.slice(2)));
    io.err(`${PROG}: ${unknownOption(name, flags, `"${PROG} --help" lists the commands, each with its own options`).message}`);
    return 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`${PROG}: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  // A dependency that is not installed fails here with ERR_MODULE_NOT_FOUND; the launcher
  // (bin/harbor-platform.js) turns that into one line saying what to run.
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(command.parse(rest), io);
  } catch (err) {
    if (err instanceof UsageError) {
      // The fault and the synopsis, not the whole help: the line that matters stays on screen.
      const usage = commandHelp(command).split('\n')[0];
      io.err(`${PROG} ${command.name}: ${err.message}\n${usage}\nRun "${PROG} ${command.name} --help" for its options.`);
      return 2;
    }
    // The layers' own errors (OpsError, ReportError) carry one clear line, like a CommandError.
    if (err instanceof CommandError || err instanceof ReportError || err instanceof OpsError) {
      io.err(`${PROG} ${command.name}: ${err.message}`);
      return err instanceof CommandError ? err.exitCode : 1;
    }
    io.err(`${PROG} ${command.name}: unexpected error: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.HARBOR_PLATFORM_DEBUG) io.err(String((err as Error)?.stack));
    return 1;
  }
}
