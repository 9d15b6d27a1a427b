import { planGithub, planNames } from '@harbor-platform/config';
import { Octokit } from '@octokit/rest';
import { GITHUB_SETUP_EXIT, type GITHUB_SETUP_GROUPS, type GITHUB_SETUP_OPTIONS } from './github-setup-options.js';
import { CommandError, UsageError, type Io } from '../cli/command.js';
import type { CommandArgs } from '../cli/declare.js';
import { loadConfigOption } from '../cli/environment.js';
import { githubSetup } from '../github/setup.js';

type GithubSetupArgs = CommandArgs<typeof GITHUB_SETUP_OPTIONS, typeof GITHUB_SETUP_GROUPS>;

/** `harbor-platform github-setup`: see the command's help in github-setup.ts. */
export async function runGithubSetupCommand(args: GithubSetupArgs, io: Io, env: NodeJS.ProcessEnv = process.env, octokit?: Octokit): Promise<number> {
  const { config } = loadConfigOption(args, io);
  const check = Boolean(args.values.check);
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  // A missing credential is a usage error (exit 2), as in harbor-gc and ldap-check.
  if (!octokit && !token) throw new UsageError('set GITHUB_TOKEN (or GH_TOKEN) to a token with administration access to the repository (read for --check)');
  const client = octokit ?? new Octokit({ auth: token, userAgent: 'harbor-platform-ops' });
  const plan = planGithub(config, planNames(config));
  let result;
  try {
    result = await githubSetup(client, plan, { check, requireReviewers: config.github.requireReviewers });
  } catch (err) {
    throw new CommandError(`github-setup of ${plan.owner}/${plan.repo}: ${(err as Error).message}`, GITHUB_SETUP_EXIT.error);
  }
  const where = `${plan.owner}/${plan.repo}`;
  for (const d of result.differences) io.out(`${check ? 'differs' : 'was'}: ${d}`);
  for (const c of result.changes) io.out(`changed: ${c}`);
  for (const p of result.problems) io.err(`problem: ${p}`);
  if (!result.differences.length && !result.problems.length) io.out(`${where}: OIDC subject template and environments as planned`);
  if (result.problems.length) return GITHUB_SETUP_EXIT.error;
  return check && result.differences.length ? GITHUB_SETUP_EXIT.differs : GITHUB_SETUP_EXIT.ok;
}
