/**
 * The GitHub roles of every environment, on the synthesized templates: whom each trusts
 * (one workflow on main per subject, immutable or legacy form) and how long its sessions
 * last (at least the timeout of the longest job that assumes it: ROLE_WORKFLOWS, which a
 * test of packages/ops checks against the generated workflows).
 */
import { ROLE_WORKFLOWS, type GithubRoleKind } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testApp, type SynthesizedEnvironment } from './util.js';
import { GithubDeployStack } from '../src/index.js';

const SUB = 'token.actions.githubusercontent.com:sub';
const rolesOf = (template: Template) => Object.values(resourcesOf(template, 'AWS::IAM::Role')).map((r) => r.Properties);
const subjectsOf = (role: any): string[] => [role.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals[SUB]].flat();
/** The claims of a customised `sub` (`key:value` pairs; job_workflow_ref's value holds no colon). */
function claims(sub: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(repo|environment|ref|job_workflow_ref):([^:]+)/g;
  for (const m of sub.matchAll(re)) out[m[1]!] = m[2]!;
  return out;
}

describe.each(['dev', 'prod'] as const)('GitHub roles of %s', (name) => {
  let env: SynthesizedEnvironment;
  beforeAll(() => {
    env = synthesizeEnvironment(name);
  }, SYNTH_TIMEOUT);

  it('trust, per subject, one workflow file on refs/heads/main of the repository, and no other ref', () => {
    const { owner, repo } = env.config.github;
    for (const [kind, plan] of [['deploy', env.plan.github.deployRole], ['operations', env.plan.github.operationsRole]] as const) {
      const role = rolesOf(env.githubTemplate).find((r) => r.RoleName === plan.name)!;
      const files = Object.values(ROLE_WORKFLOWS).filter((w) => w.role === kind).map((w) => w.file);
      const subs = subjectsOf(role);
      expect(subs.map((s) => claims(s).job_workflow_ref).sort()).toEqual(files.map((f) => `${owner}/${repo}/.github/workflows/${f}@refs/heads/main`).sort());
      for (const s of subs) {
        expect(claims(s).ref).toBe('refs/heads/main');
        expect(s).not.toMatch(/[*?]/);
        expect(claims(s).environment).toBe(kind === 'deploy' ? env.plan.github.environment : env.plan.github.operationsEnvironment);
      }
      // StringEquals, never StringLike: no pattern can widen the match.
      expect(Object.keys(role.AssumeRolePolicyDocument.Statement[0].Condition)).toEqual(['StringEquals']);
    }
  });

  it('trust the immutable form: the owner and repository with their numeric IDs', () => {
    const { owner, repo, ownerId, repositoryId } = env.config.github;
    for (const role of rolesOf(env.githubTemplate)) {
      for (const s of subjectsOf(role)) expect(claims(s).repo).toBe(`${owner}@${ownerId}/${repo}@${repositoryId}`);
    }
  });

  it('last at least as long as the longest job timeout that uses each role', () => {
    for (const [kind, plan] of [['deploy', env.plan.github.deployRole], ['operations', env.plan.github.operationsRole]] as [GithubRoleKind, typeof env.plan.github.deployRole][]) {
      const role = rolesOf(env.githubTemplate).find((r) => r.RoleName === plan.name)!;
      const longest = Math.max(...Object.values(ROLE_WORKFLOWS).filter((w) => w.role === kind).map((w) => w.timeoutMinutes));
      expect(role.MaxSessionDuration).toBe(plan.maxSessionSeconds);
      expect(role.MaxSessionDuration, `${plan.name} against ${longest} min`).toBeGreaterThanOrEqual(longest * 60);
      expect(role.MaxSessionDuration).toBeLessThanOrEqual(12 * 3600);
    }
    // The restore job (240 min) sets the deploy role's.
    expect(rolesOf(env.githubTemplate).find((r) => r.RoleName === env.plan.github.deployRole.name)!.MaxSessionDuration).toBe(4 * 3600);
  });
});

describe('legacy subject', () => {
  it('is trusted only where the config says the repository still uses it', () => {
    const { config, plan } = plannedEnvironment('dev', (raw) => {
      raw.github.legacySubject = true;
    });
    const template = Template.fromStack(new GithubDeployStack(testApp(), 'harbor-platform-dev-github', { plan }));
    for (const role of rolesOf(template)) {
      for (const s of subjectsOf(role)) {
        expect(s.startsWith(`repo:${config.github.owner}/${config.github.repo}:environment:`)).toBe(true);
        expect(s).not.toContain('@123456');
        expect(claims(s).ref).toBe('refs/heads/main');
      }
    }
  });
});
