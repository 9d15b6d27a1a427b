import { environmentFile, environmentSchema, findRepoRoot, formatProblem, listEnvironments, loadEnvironmentFile, type EnvironmentConfig, type Warning } from '@harbor-platform/config';
import { CommandError, UsageError, type Io, type ParsedArgs } from './command.js';
import { defineOptionGroup } from './declare.js';
import { ROOT_VARIABLE } from './environment-variables.js';

/** `--env <name>` or `--config <file>`: the environment a command works on ({@link loadConfigOption}). */
export const ENVIRONMENT_OPTIONS = defineOptionGroup({
  synopsis: '(--env <name> | --config <file>)',
  options: {
    env: { type: 'string', placeholder: '<name>', description: 'an environment in environments/' },
    config: { type: 'string', placeholder: '<file>', description: 'an environment file anywhere' },
  },
  environment: [ROOT_VARIABLE],
});

/**
 * Resolves `--env <name>` or `--config <file>` to a validated config, or fails with the problems;
 * for the commands that declare both ({@link ENVIRONMENT_OPTIONS}).
 */
export function loadConfigOption(args: ParsedArgs, _io: Io): LoadedEnvironment {
  const env = args.values.env as string | undefined;
  const configFile = args.values.config as string | undefined;
  if (env && configFile) throw new UsageError('give --env or --config, not both');
  if (!env && !configFile) throw new UsageError('--env <name> or --config <file> is required');
  return loadFile(configFile ?? environmentFileOption(env!, true));
}

/** Resolves `--env <name>` alone, for a command without `--config` (restore works only on a committed environment). */
export function loadEnvOption(env: string): LoadedEnvironment {
  return loadFile(environmentFileOption(env, false));
}

export interface LoadedEnvironment {
  readonly config: EnvironmentConfig;
  readonly warnings: Warning[];
  readonly file: string;
}

/**
 * The file of `--env <name>` in environments/. A name the schema's `name` would refuse (a path,
 * `../x`) is a usage error before any file is looked at, so --env never reads outside environments/.
 * @param configOption whether the command has --config to suggest for a file elsewhere
 */
function environmentFileOption(env: string, configOption: boolean): string {
  const orConfig = configOption ? ' or pass --config <file>' : '';
  if (!environmentSchema.shape.name.safeParse(env).success) {
    throw new UsageError(`--env: "${env}" is not an environment name (the file name in environments/, without .yaml): give a name such as dev${configOption ? ', or pass --config <file> for a file elsewhere' : ''}`);
  }
  const file = environmentFile(env);
  if (file) return file;
  const root = findRepoRoot();
  if (!root) throw new CommandError(`no environments/ folder above ${process.cwd()}: run from the repository${orConfig}`);
  // A bad option value: a usage error (exit 2), like any other.
  throw new UsageError(`--env: no environment "${env}" in ${root}/environments: use one of ${listEnvironments(root).join(', ') || '(none)'}${orConfig}`);
}

function loadFile(file: string): LoadedEnvironment {
  const result = loadEnvironmentFile(file);
  if (!result.ok) {
    throw new CommandError(`${file} is not valid (${result.problems.length} problem(s)); run "harbor-platform validate ${file}":\n${result.problems.map(formatProblem).join('\n')}`);
  }
  return { config: result.config, warnings: result.warnings, file };
}
