import type { Command } from '../cli/command.js';

/** Exit statuses: 0 matches the plan (or was made to), 1 differs (with --check), 3 needs a human or failed. */
export const GITHUB_SETUP_EXIT = { ok: 0, differs: 1, error: 3 } as const;

export const githubSetupCommand: Command = {
  name: 'github-setup',
  help: `github-setup (--env <name> | --config <file>) [--check]

Makes the GitHub repository match what the environment's roles trust (plan.github):
- the OIDC subject template (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub):
  use_default false, include_claim_keys plan.github.subjectClaimKeys, so each job's
  token names its workflow (job_workflow_ref) and ref;
- the deploy and operations GitHub environments: deploy only from main (a custom
  deployment branch policy with the single branch main; other patterns removed).
Reviewers already on an environment are kept; a missing one, when github.requireReviewers
is true, is reported (exit 3): setup never picks people. Idempotent: a second run
changes nothing. Run it once per repository with an administrator's token, before the
GitHub stack's roles are used.

  GitHub   GITHUB_TOKEN: administration (write; read for --check) of the repository

options:
  --env <name>      an environment in environments/
  --config <file>   an environment file anywhere
  --check           compare only, change nothing (exit 1 when something differs)

exit status: 0 as planned, 1 differs (--check), 2 usage, 3 needs a human or failed`,
  options: { env: { type: 'string' }, config: { type: 'string' }, check: { type: 'boolean' } },
  // The implementation (GitHub client) loads only when this command runs.
  run: async (args, io) => (await import('./github-setup-run.js')).runGithubSetupCommand(args, io),
};
