import { GITHUB_SETUP_GROUPS, GITHUB_SETUP_OPTIONS } from './github-setup-options.js';
import { defineCommand } from '../cli/declare.js';
import { githubTokenVariable } from '../cli/environment-variables.js';

export const githubSetupCommand = defineCommand({
  name: 'github-setup',
  description: `Makes the GitHub repository match what the environment's roles trust (plan.github):
- the OIDC subject template (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub):
  use_default false, include_claim_keys plan.github.subjectClaimKeys, so each job's
  token names its workflow (job_workflow_ref) and ref;
- the deploy and operations GitHub environments: deploy only from main (a custom
  deployment branch policy with the single branch main; other patterns removed).
Reviewers already on an environment are kept; a missing one, when github.requireReviewers
is true, is reported (exit 3): setup never picks people. Idempotent: a second run
changes nothing. Run it once per repository with an administrator's token, before the
GitHub stack's roles are used.`,
  groups: GITHUB_SETUP_GROUPS,
  options: GITHUB_SETUP_OPTIONS,
  environment: [githubTokenVariable('administration (write; read for --check) of the repository')],
  exitStatus: '0 as planned, 1 differs (--check), 2 usage (or no token), 3 needs a human or failed',
  // The implementation (GitHub client) loads only when this command runs.
  run: async (args, io) => (await import('./github-setup-run.js')).runGithubSetupCommand(args, io),
});
