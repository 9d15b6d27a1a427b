import type { EnvironmentConfig, GithubPlan, PlanNames } from '@harbor-platform/config';
import type { Octokit } from '@octokit/rest';
import type { AwsClients } from './aws-clients.js';
import type { BootstrapRequirement } from './bootstrap-requirement.js';

/**
 * - `ok`: the prerequisite is there.
 * - `missing`: it is not there, or not as the config needs it; the fix says what to run.
 * - `unchecked`: the check could not run (access denied, no credentials, no token); the fix says what it lacks.
 * - `skipped`: it does not apply to this config; the message says why.
 */
export type FindingStatus = 'ok' | 'missing' | 'unchecked' | 'skipped';

/** One line of the preflight report. */
export interface Finding {
  /** The check's name, such as `certificate`. */
  readonly check: string;
  readonly status: FindingStatus;
  /** What was found, naming the resource: one line. */
  readonly message: string;
  /** The command (or the step) that fixes it; for `unchecked`, what the check needs to run. */
  readonly fix?: string;
}

/** Everything a check reads: the config, its names and GitHub plan, AWS and GitHub clients. */
export interface PreflightContext {
  readonly config: EnvironmentConfig;
  /** The environment's names (`plan.names`: the platform stack, the CodeConnections connection, ...). */
  readonly names: PlanNames;
  readonly github: GithubPlan;
  /** Clients in the environment's region (IAM and Route 53 are global). */
  readonly aws: AwsClients;
  /** What the synthesized stacks need of the CDK bootstrap, or why that is not known. */
  readonly bootstrap: BootstrapRequirement | { readonly unknown: string };
  /** A GitHub client with a token able to read the repository's settings; undefined without a token. */
  readonly octokit?: Octokit;
  /** How the user named the environment, for the commands in fixes: `--env dev` or `--config <file>`. */
  readonly cliTarget: string;
}

/** One prerequisite of a first deploy; `PREFLIGHT_CHECKS` lists them in the order they are reported. */
export interface PreflightCheck {
  /** Short name, the first word of each of its lines. */
  readonly name: string;
  /** What it checks, one line for `--help`. */
  readonly title: string;
  /** Whose credentials it needs: its AWS checks run only once the account check passed. */
  readonly needs: 'aws' | 'github';
  run(ctx: PreflightContext): Promise<Finding[]>;
}

/** A finding of `check`. */
export function finding(check: string, status: FindingStatus, message: string, fix?: string): Finding {
  return { check, status, message, ...(fix && { fix }) };
}

/** `missing     certificate: <message>: <fix>` */
export function formatFinding(f: Finding): string {
  return `${f.status.padEnd(9)} ${f.check}: ${f.message}${f.fix ? `: ${f.fix}` : ''}`;
}
