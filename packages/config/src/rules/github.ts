import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/** The immutable subject names the owner's and repository's numeric IDs (github-identity.ts). */
export function checkGithubIdentity(c: EnvironmentConfig, problems: Problem[], _warnings: Warning[]): void {
  if (c.github.legacySubject) return;
  const lookup = `gh api repos/${c.github.owner}/${c.github.repo} --jq`;
  if (c.github.ownerId === undefined) {
    problems.push({ path: 'github.ownerId', message: 'missing: the roles trust the immutable OIDC subject, which names the owner by its numeric ID', fix: `set it to the output of \`${lookup} .owner.id\`, or set github.legacySubject: true while the repository still uses the name-based subject` });
  }
  if (c.github.repositoryId === undefined) {
    problems.push({ path: 'github.repositoryId', message: 'missing: the roles trust the immutable OIDC subject, which names the repository by its numeric ID', fix: `set it to the output of \`${lookup} .id\`, or set github.legacySubject: true while the repository still uses the name-based subject` });
  }
}
