/**
 * Which workflow, on which ref, may assume which of an environment's GitHub roles, and
 * the `sub` claim GitHub puts in such a job's OIDC token. One source for packages/infra
 * (the roles' trust and session length), projenrc/workflows.ts (the jobs, checked by a
 * test against this table) and `harbor-platform github-setup` (the repository's subject
 * template and environments).
 *
 * GitHub's default `sub` of a job in an environment, `repo:<owner>/<repo>:environment:<env>`,
 * names neither the workflow nor the branch: any branch that declares the environment gets
 * the role. The repository's subject template (`PUT /repos/{owner}/{repo}/actions/oidc/customization/sub`
 * with `use_default: false` and `include_claim_keys`) adds them; each key becomes
 * `<key>:<value>` in the listed order, joined by `:`.
 *
 * - immutable form (default): `repository_owner_id:<id>:repository_id:<id>:context:...` keys
 *   hold GitHub's numeric IDs, which never change and are never reused (GitHub's
 *   "immutable subject claims", default for repositories created, renamed or transferred
 *   since mid-2026, replace the names for the same reason).
 * - legacy form (`github.legacySubject: true`): the `repo` key, `repo:<owner>/<repo>`, for a
 *   repository whose trust still matches names.
 *
 * @see https://docs.github.com/en/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository
 * @see https://docs.github.com/en/actions/reference/security/oidc (claims: job_workflow_ref, ref, repository_id, repository_owner_id)
 * @see https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens/
 */
import type { EnvironmentConfig } from './schema/environment.js';

/** The only ref that may deploy, restore, run drift or the drill. */
export const TRUSTED_REF = 'refs/heads/main';

export type GithubRoleKind = 'deploy' | 'operations';

/** One workflow job that assumes a role. */
export interface RoleWorkflow {
  /** File under .github/workflows/. */
  readonly file: string;
  readonly role: GithubRoleKind;
  /** Its job's `timeout-minutes` (projenrc/workflows.ts writes the same; a test compares). */
  readonly timeoutMinutes: number;
}

/**
 * Every workflow that assumes a role. Smoke runs inside the deploy job (deploy role):
 * it logs in as Harbor's admin, a live secret the operations role must not read.
 */
export const ROLE_WORKFLOWS: Readonly<Record<string, RoleWorkflow>> = {
  deploy: { file: 'deploy.yml', role: 'deploy', timeoutMinutes: 120 },
  restore: { file: 'restore.yml', role: 'deploy', timeoutMinutes: 240 },
  drift: { file: 'drift.yml', role: 'operations', timeoutMinutes: 60 },
  drill: { file: 'restore-drill.yml', role: 'operations', timeoutMinutes: 150 },
};

/** Claim keys of the repository's subject template, in order. */
export function subjectClaimKeys(legacy: boolean): string[] {
  return [...(legacy ? ['repo'] : ['repository_owner_id', 'repository_id']), 'context', 'ref', 'job_workflow_ref'];
}

export interface SubjectInput {
  readonly owner: string;
  readonly repo: string;
  readonly ownerId?: number;
  readonly repositoryId?: number;
  readonly legacySubject: boolean;
}

/**
 * The `sub` of a job of `file` on TRUSTED_REF in GitHub environment `environment`
 * under the template of subjectClaimKeys. `context` is `environment:<name>` for a job
 * with an environment; `job_workflow_ref` is `<owner>/<repo>/.github/workflows/<file>@<ref>`.
 * Throws when the immutable form lacks an ID (validate reports that first).
 */
export function workflowSubject(g: SubjectInput, environment: string, file: string): string {
  const head = g.legacySubject ? [`repo:${g.owner}/${g.repo}`] : [`repository_owner_id:${requireId(g.ownerId, 'ownerId')}`, `repository_id:${requireId(g.repositoryId, 'repositoryId')}`];
  return [...head, `environment:${environment}`, `ref:${TRUSTED_REF}`, `job_workflow_ref:${g.owner}/${g.repo}/.github/workflows/${file}@${TRUSTED_REF}`].join(':');
}

function requireId(id: number | undefined, field: string): number {
  if (id === undefined) throw new Error(`github.${field}: missing: the immutable subject names the numeric ID; set it, or set github.legacySubject: true`);
  return id;
}

/** Longest job timeout among the workflows that assume `role`, in seconds: the role's session must last that long. */
export function roleSessionSeconds(role: GithubRoleKind): number {
  const minutes = Object.values(ROLE_WORKFLOWS).filter((w) => w.role === role).map((w) => w.timeoutMinutes);
  // IAM: a role's maximum session is 1 to 12 hours.
  return Math.min(12 * 3600, Math.max(3600, ...minutes.map((m) => m * 60)));
}

/** The subjects a role trusts: each of its workflows, on TRUSTED_REF, in `environment`. */
export function roleSubjects(c: EnvironmentConfig, role: GithubRoleKind, environment: string): string[] {
  return Object.values(ROLE_WORKFLOWS).filter((w) => w.role === role).map((w) => workflowSubject(c.github, environment, w.file));
}
