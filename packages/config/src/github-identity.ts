/**
 * Which workflow, on which ref, may assume which of an environment's GitHub roles, and
 * the `sub` claim GitHub puts in such a job's OIDC token. One source for packages/infra
 * (the roles' trust and session length), projenrc/workflows/ (the jobs, checked by a
 * test against this table) and `harbor-platform github-setup` (the repository's subject
 * template and environments).
 *
 * GitHub's default `sub` of a job in an environment, `repo:<owner>/<repo>:environment:<env>`,
 * names neither the workflow nor the branch: any branch that declares the environment gets
 * the role. The repository's subject template (`PUT /repos/{owner}/{repo}/actions/oidc/customization/sub`
 * with `use_default: false` and `include_claim_keys`) adds them; each key becomes
 * `<key>:<value>` in the listed order, joined by `:`.
 *
 * The template is `repo, context, ref, job_workflow_ref`, so a subject reads
 * `<repo>:environment:<env>:ref:refs/heads/main:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>@refs/heads/main`,
 * where `<repo>` (the API's `sub_claim_prefix`) takes one of two forms:
 * - immutable (default; the template's `use_immutable_subject: true`):
 *   `repo:<owner>@<ownerId>/<repo>@<repositoryId>`: numeric IDs never change and are never
 *   reused, so a deleted or renamed repository's name, claimed by someone else, matches
 *   nothing. GitHub's default for repositories created, renamed or transferred since mid-2026.
 * - legacy (`github.legacySubject: true`): `repo:<owner>/<repo>`, for a repository that
 *   has not opted in yet.
 * `harbor-platform github-setup --check` compares the repository's `sub_claim_prefix` with
 * subjectPrefix, so a form mismatch shows up as drift, not as a failed deploy.
 *
 * @see https://docs.github.com/en/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository
 * @see https://docs.github.com/en/actions/reference/security/oidc (claims: job_workflow_ref, ref, context)
 * @see https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens/
 */
import { PlanError } from './errors.js';
import type { EnvironmentConfig } from './schema/environment.js';

/** The only ref that may deploy, restore, run drift or the drill. */
export const TRUSTED_REF = 'refs/heads/main';

export type GithubRoleKind = 'deploy' | 'operations';

/** One workflow job that assumes a role. */
export interface RoleWorkflow {
  /** File under .github/workflows/. */
  readonly file: string;
  readonly role: GithubRoleKind;
  /** Its job's `timeout-minutes` (projenrc/workflows/ writes the same; a test compares). */
  readonly timeoutMinutes: number;
}

/**
 * Every workflow that assumes a role. Smoke runs in deploy.yml, in the job after each deploy (deploy role):
 * it logs in as Harbor's admin, a live secret the operations role must not read.
 */
export const ROLE_WORKFLOWS: Readonly<Record<string, RoleWorkflow>> = {
  deploy: { file: 'deploy.yml', role: 'deploy', timeoutMinutes: 120 },
  restore: { file: 'restore.yml', role: 'deploy', timeoutMinutes: 240 },
  drift: { file: 'drift.yml', role: 'operations', timeoutMinutes: 60 },
  drill: { file: 'restore-drill.yml', role: 'operations', timeoutMinutes: 150 },
};

/** Claim keys of the repository's subject template, in order. */
export const SUBJECT_CLAIM_KEYS: readonly string[] = ['repo', 'context', 'ref', 'job_workflow_ref'];

export interface SubjectInput {
  readonly owner: string;
  readonly repo: string;
  readonly ownerId?: number;
  readonly repositoryId?: number;
  readonly legacySubject: boolean;
}

/**
 * The `repo` claim of the subject (the API's `sub_claim_prefix`): `repo:<owner>@<ownerId>/<repo>@<repositoryId>`
 * (immutable) or `repo:<owner>/<repo>` (legacy). Throws when the immutable form lacks an ID
 * (validate reports that first).
 */
export function subjectPrefix(g: SubjectInput): string {
  return g.legacySubject ? `repo:${g.owner}/${g.repo}` : `repo:${g.owner}@${requireId(g.ownerId, 'ownerId')}/${g.repo}@${requireId(g.repositoryId, 'repositoryId')}`;
}

/**
 * The `sub` of a job of `file` on TRUSTED_REF in GitHub environment `environment`
 * under the template SUBJECT_CLAIM_KEYS. `context` is `environment:<name>` for a job
 * with an environment; `job_workflow_ref` is `<owner>/<repo>/.github/workflows/<file>@<ref>`.
 */
export function workflowSubject(g: SubjectInput, environment: string, file: string): string {
  return [subjectPrefix(g), `environment:${environment}`, `ref:${TRUSTED_REF}`, `job_workflow_ref:${g.owner}/${g.repo}/.github/workflows/${file}@${TRUSTED_REF}`].join(':');
}

function requireId(id: number | undefined, field: string): number {
  if (id === undefined) throw new PlanError(`github.${field}: missing: the immutable subject names the numeric ID; set it, or set github.legacySubject: true`);
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
