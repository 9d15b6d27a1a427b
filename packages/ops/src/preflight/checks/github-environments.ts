import { checkGithubSettings } from '../../github/settings-check.js';
import { finding, type PreflightCheck } from '../check.js';

const NAME = 'github-environments';
/** What a fine-grained token needs to read what github-setup sets: the subject template and the environments. */
const READ_ACCESS = "a token of the repository's Administration (read) and Environments (read) permissions";

/**
 * The repository's GitHub environments exist with the protection the config asks for, and its
 * OIDC subject template is the one the roles trust: `github-setup --check` (through drift's
 * settings check), read only. Missing reviewers (`github.requireReviewers`) need a person;
 * the rest is what `github-setup` applies.
 *
 * @see https://docs.github.com/en/rest/deployments/environments#list-environments
 */
export const githubEnvironmentsCheck: PreflightCheck = {
  name: NAME,
  title: "the repository's environments, their protection (github.requireReviewers) and OIDC subject template",
  needs: 'github',
  async run({ config, github, octokit, cliTarget }) {
    const repo = `${github.owner}/${github.repo}`;
    if (!octokit) return [finding(NAME, 'unchecked', `${repo}: no GitHub token`, `set GITHUB_TOKEN to ${READ_ACCESS}`)];
    const setup = `GITHUB_TOKEN=<admin token> npx harbor-platform github-setup ${cliTarget}`;
    const result = await checkGithubSettings(github, config.github.requireReviewers, {}, octokit);
    if (result.outcome === 'failed') {
      const access = result.status === 401 ? 'GitHub refused the token' : result.status === 403 || result.status === 404 ? `the token may not read the repository's settings (HTTP ${result.status})` : undefined;
      return [finding(NAME, 'unchecked', `${repo}: ${access ?? result.reason}`, access ? `set GITHUB_TOKEN to ${READ_ACCESS}` : 'run preflight again (the line is what GitHub answered)')];
    }
    if (result.outcome === 'skipped') return [finding(NAME, 'unchecked', `${repo}: ${result.reason}`, `set GITHUB_TOKEN to ${READ_ACCESS}`)];
    const findings = [
      ...result.differences.map((d) => finding(NAME, 'missing', `${repo}: ${d}`, setup)),
      // Each problem says what a person must do (setup never picks reviewers).
      ...result.problems.map((p) => finding(NAME, 'missing', `${repo}: ${p}`)),
    ];
    if (findings.length) return findings;
    const protection = config.github.requireReviewers ? ', required reviewers on the deploy environment' : '';
    return [finding(NAME, 'ok', `${repo}: environments ${github.environment} and ${github.operationsEnvironment} deploy from main only${protection}; OIDC subject template as the roles trust`)];
  },
};
