import { relative, resolve } from 'node:path';
import { crossEnvironmentProblems, environmentFile, findRepoRoot, formatProblem, listEnvironments, loadEnvironmentFile, type EnvironmentFile, type Problem } from '@harbor-platform/config';
import { CommandError, UsageError, type Io } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { ROOT_VARIABLE } from '../cli/environment-variables.js';

export const validateCommand = defineCommand({
  name: 'validate',
  usage: ['validate (<file.yaml> | --all) [--quiet]'],
  description: `Validates one environment file against the schema and the platform's rules. When
a section fails the schema, the rules still run over the sections that pass, and a
last "(rules)" line names the sections whose rules were not checked. A valid file is
also compared with the other environments in environments/: it may not share a
backup bucket with any of them, nor a Secrets Manager name or an overlapping VPC
range with one in the same account (the marks of a copied file).
Exit 0 when valid (warnings go to stderr), 1 with one line per problem on stderr, 2 on
bad usage.`,
  environment: [
    {
      name: ROOT_VARIABLE.name,
      description: 'the repository whose environments/ --all checks and a file is compared with\n(default the nearest folder above the current one with environments/ and turbo.json)',
    },
  ],
  options: {
    all: { type: 'boolean', description: 'validate every file in environments/ (each line starts with its file)' },
    quiet: { type: 'boolean', description: 'print nothing when the file is valid' },
  },
  positionals: { placeholder: '<file.yaml>', min: 0, max: 1 },
  async run(args, io) {
    const given = args.positionals[0];
    if (args.values.all && given) throw new UsageError('give a file or --all, not both');
    if (!args.values.all && !given) throw new UsageError('expected 1 argument(s): the environment file, or --all');
    const root = findRepoRoot();
    if (args.values.all && !root) throw new CommandError(`no environments/ folder above ${process.cwd()}: run from the repository`);
    const committed = (root ? listEnvironments(root) : []).map((name) => environmentFile(name, root)!);
    const files = args.values.all ? committed : [given!];
    const loaded = files.map((file) => ({ file, result: loadEnvironmentFile(file) }));
    // The committed environments a valid file is compared with (those valid themselves), loaded once, when needed.
    let known: EnvironmentFile[] | undefined;
    const others = () => (known ??= committed.flatMap((file) => {
      const result = loaded.find((l) => resolve(l.file) === resolve(file))?.result ?? loadEnvironmentFile(file);
      return result.ok ? [{ file: relative(root!, file), config: result.config }] : [];
    }));
    let count = 0;
    for (const { file, result } of loaded) {
      const prefix = args.values.all ? `${relative(root!, file)}: ` : '';
      for (const w of result.warnings) io.err(`${prefix}warning: ${w.path}: ${w.message}`);
      const problems: Problem[] = [...result.problems];
      if (result.ok) {
        const me: EnvironmentFile = { file, config: result.config };
        problems.push(...crossEnvironmentProblems(me, others().filter((k) => resolve(root!, k.file) !== resolve(file))));
      }
      if (problems.length > 0) io.err(problems.map((p) => prefix + formatProblem(p)).join('\n'));
      count += problems.length;
      report(io, file, problems.length, result.ok ? `${result.config.name}, ${result.config.stage}` : undefined, Boolean(args.values.quiet));
    }
    return count > 0 ? 1 : 0;
  },
});

function report(io: Io, file: string, problems: number, what: string | undefined, quiet: boolean): void {
  if (problems > 0) io.err(`${file}: ${problems} problem(s)`);
  else if (!quiet) io.out(`${file}: valid (${what})`);
}
