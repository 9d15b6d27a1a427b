import { formatProblem, loadEnvironmentFile } from '@harbor-platform/config';
import type { Command } from '../cli/command.js';

export const validateCommand: Command = {
  name: 'validate',
  help: `validate <file.yaml> [--quiet]

Validates one environment file against the schema and the platform's rules. When
a section fails the schema, the rules still run over the sections that pass, and a
last "(rules)" line names the sections whose rules were not checked.
Exit 0 when valid (warnings go to stderr), 1 with one line per problem on stderr, 2 on
bad usage.

options:
  --quiet   print nothing when the file is valid`,
  options: { quiet: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const file = args.positionals[0]!;
    const result = loadEnvironmentFile(file);
    for (const w of result.warnings) io.err(`warning: ${w.path}: ${w.message}`);
    if (!result.ok) {
      io.err(result.problems.map(formatProblem).join('\n'));
      io.err(`${file}: ${result.problems.length} problem(s)`);
      return 1;
    }
    if (!args.values.quiet) io.out(`${file}: valid (${result.config.name}, ${result.config.stage})`);
    return 0;
  },
};
