import { environmentFile, findRepoRoot, formatProblem, listEnvironments, loadEnvironmentFile, type EnvironmentConfig, type Warning } from '@harbor-platform/config';
import { CommandError, UsageError, type Io, type ParsedArgs } from './command.js';
import { defineOptionGroup } from './declare.js';

/** `--env <name>` or `--config <file>`: the environment a command works on ({@link loadConfigOption}). */
export const ENVIRONMENT_OPTIONS = defineOptionGroup({
  synopsis: '(--env <name> | --config <file>)',
  options: {
    env: { type: 'string', placeholder: '<name>', description: 'an environment in environments/' },
    config: { type: 'string', placeholder: '<file>', description: 'an environment file anywhere' },
  },
});

/** Resolves `--env <name>` or `--config <file>` to a validated config, or fails with the problems. */
export function loadConfigOption(args: ParsedArgs, _io: Io): { config: EnvironmentConfig; warnings: Warning[]; file: string } {
  const env = args.values.env as string | undefined;
  const configFile = args.values.config as string | undefined;
  if (env && configFile) throw new UsageError('give --env or --config, not both');
  if (!env && !configFile) throw new UsageError('--env <name> or --config <file> is required');
  let file = configFile;
  if (env) {
    file = environmentFile(env);
    if (!file) {
      const root = findRepoRoot();
      if (!root) throw new CommandError(`no environments/ folder above ${process.cwd()}: run from the repository or pass --config <file>`);
      // A bad option value: a usage error (exit 2), like any other.
      throw new UsageError(`--env: no environment "${env}" in ${root}/environments: use one of ${listEnvironments(root).join(', ') || '(none)'} or pass --config <file>`);
    }
  }
  const result = loadEnvironmentFile(file!);
  if (!result.ok) {
    throw new CommandError(`${file} is not valid (${result.problems.length} problem(s)); run "harbor-platform validate ${file}":\n${result.problems.map(formatProblem).join('\n')}`);
  }
  return { config: result.config, warnings: result.warnings, file: file! };
}
