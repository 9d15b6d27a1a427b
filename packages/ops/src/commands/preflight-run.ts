import { planGithub, planNames, type PlanNames } from '@harbor-platform/config';
import { Octokit } from '@octokit/rest';
import type { PREFLIGHT_GROUPS, PREFLIGHT_OPTIONS } from './preflight-options.js';
import type { Io } from '../cli/command.js';
import type { CommandArgs } from '../cli/declare.js';
import { loadConfigOption } from '../cli/environment.js';
import { synthPaths } from '../cli/paths.js';
import { progressFor } from '../cli/progress.js';
import { AwsClients } from '../preflight/aws-clients.js';
import { bootstrapRequirement, type BootstrapRequirement } from '../preflight/bootstrap-requirement.js';
import { formatFinding, type PreflightContext } from '../preflight/check.js';
import { PREFLIGHT_CHECKS } from '../preflight/checks/index.js';
import { preflightExit, runPreflight } from '../preflight/run.js';

/** What the command would make itself; tests pass stand-ins. */
export interface PreflightDeps {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default an Octokit with the token of `env`, or none */
  readonly octokit?: Octokit;
}

type PreflightArgs = CommandArgs<typeof PREFLIGHT_OPTIONS, typeof PREFLIGHT_GROUPS>;

/** `harbor-platform preflight`: see the command's help in preflight.ts. */
export async function runPreflightCommand(args: PreflightArgs, io: Io, deps: PreflightDeps = {}): Promise<number> {
  const { config, file } = loadConfigOption(args, io);
  const env = deps.env ?? process.env;
  const token = env.GITHUB_SETTINGS_TOKEN || env.GITHUB_TOKEN || env.GH_TOKEN;
  const names = planNames(config);
  const ctx: PreflightContext = {
    config,
    names,
    github: planGithub(config, names),
    aws: new AwsClients(config.aws.region),
    bootstrap: readBootstrap(args, config.name, names),
    octokit: deps.octokit ?? (token ? new Octokit({ auth: token, userAgent: 'harbor-platform-ops' }) : undefined),
    cliTarget: args.values.env ? `--env ${args.values.env}` : `--config ${file}`,
  };
  const progress = progressFor(args);
  const findings = await runPreflight(ctx, PREFLIGHT_CHECKS, (line) => progress.update(line));
  progress.done();
  const code = preflightExit(findings);
  if (args.values.json) {
    io.out(JSON.stringify({ environment: config.name, ready: code === 0, findings }, null, 2));
  } else {
    for (const f of findings) io.out(formatFinding(f));
  }
  return code;
}

function readBootstrap(args: PreflightArgs, environment: string, names: PlanNames): BootstrapRequirement | { unknown: string } {
  try {
    const dir = args.values.assembly ?? synthPaths(environment).assemblyDir;
    return bootstrapRequirement(dir, Object.values(names.stacks));
  } catch (err) {
    return { unknown: (err as Error).message };
  }
}
