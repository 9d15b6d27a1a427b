/**
 * A stateful fake of one GitHub repository's OIDC subject template and environments
 * (example-org/harbor-platform), changed only through the requests GitHub's REST API
 * documents; every request and answer is checked against its OpenAPI description.
 */
import { Octokit } from '@octokit/rest';
import { checkedFetch, type Json, type RecordedRequest } from './github-openapi.js';

const API = 'https://api.github.com/repos/example-org/harbor-platform';

export interface FakeEnvironment {
  branchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  policies: { id: number; name: string; type: 'branch' | 'tag' }[];
  reviewers: number[];
  preventSelfReview?: boolean;
}

const user = (id: number) => ({
  login: `reviewer${id}`,
  id,
  node_id: `U_${id}`,
  avatar_url: '',
  gravatar_id: null,
  url: `https://api.github.com/users/reviewer${id}`,
  html_url: `https://github.com/reviewer${id}`,
  followers_url: '',
  following_url: '',
  gists_url: '',
  starred_url: '',
  subscriptions_url: '',
  organizations_url: '',
  repos_url: '',
  events_url: '',
  received_events_url: '',
  type: 'User',
  site_admin: false,
});

/** One repository's OIDC template and environments, changed only through the requests the API documents. */
export class FakeRepository {
  sub: Json = { use_default: true };
  readonly environments = new Map<string, FakeEnvironment>();
  private nextId = 100;
  readonly requests: RecordedRequest[] = [];
  /**
   * Answers every request 404 Not Found, as GitHub answers a token that may not see the
   * repository's settings (GitHub hides what a token cannot read rather than saying 403).
   */
  tokenWithoutAccess = false;
  /** The `sub_claim_prefix` GitHub reports: the IDs are the repository's own. */
  constructor(private readonly ids = { owner: 123456, repo: 456789 }) {}

  octokit(): Octokit {
    const { fetch } = checkedFetch((r) => this.answer(r), this.requests);
    // Silent: a refused request is what some tests expect, not news.
    return new Octokit({ request: { fetch, retries: 0 }, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
  }

  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.operationId} ${r.path.replace('/repos/example-org/harbor-platform', '')}`);
  }

  private environmentJson(name: string, e: FakeEnvironment): Json {
    return {
      id: 1,
      node_id: 'EN_1',
      name,
      url: `${API}/environments/${name}`,
      html_url: `https://github.com/example-org/harbor-platform/deployments/activity_log?environments_filter=${name}`,
      created_at: '2026-11-01T00:00:00Z',
      updated_at: '2026-11-01T00:00:00Z',
      protection_rules: e.reviewers.length
        ? [{ id: 2, node_id: 'GA_2', type: 'required_reviewers', prevent_self_review: e.preventSelfReview ?? false, reviewers: e.reviewers.map((id) => ({ type: 'User', reviewer: user(id) })) }]
        : [],
      deployment_branch_policy: e.branchPolicy,
    };
  }


  private answer(r: RecordedRequest): [number, Json?] {
    if (this.tokenWithoutAccess) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }];
    const at = r.path.replace('/repos/example-org/harbor-platform', '');
    const m = /^\/environments\/([^/]+)(\/deployment-branch-policies(?:\/(\d+))?)?$/.exec(at);
    const name = m && decodeURIComponent(m[1]!);
    const env = name ? this.environments.get(name) : undefined;
    switch (r.operationId) {
      case 'actions/get-custom-oidc-sub-claim-for-repo': {
        const prefix = this.sub.use_default || !this.sub.use_immutable_subject ? 'repo:example-org/harbor-platform' : `repo:example-org@${this.ids.owner}/harbor-platform@${this.ids.repo}`;
        return [200, { ...this.sub, sub_claim_prefix: prefix }];
      }
      case 'actions/set-custom-oidc-sub-claim-for-repo':
        this.sub = { ...r.body };
        return [201, {}];
      case 'repos/get-all-environments': {
        const all = [...this.environments].map(([n, e]) => this.environmentJson(n, e));
        return [200, { total_count: all.length, environments: all }];
      }
      case 'repos/create-or-update-environment': {
        const next: FakeEnvironment = {
          branchPolicy: r.body?.deployment_branch_policy ?? null,
          // PUT replaces the protection rules: reviewers not sent are gone.
          reviewers: (r.body?.reviewers ?? []).map((x: Json) => x.id),
          preventSelfReview: r.body?.prevent_self_review,
          policies: env?.policies ?? [],
        };
        this.environments.set(name!, next);
        return [200, this.environmentJson(name!, next)];
      }
      case 'repos/list-deployment-branch-policies':
        return [200, { total_count: env!.policies.length, branch_policies: env!.policies.map((p) => ({ ...p, node_id: `BP_${p.id}` })) }];
      case 'repos/create-deployment-branch-policy': {
        const p = { id: this.nextId++, name: r.body.name, type: r.body.type };
        env!.policies.push(p);
        return [200, { ...p, node_id: `BP_${p.id}` }];
      }
      case 'repos/delete-deployment-branch-policy':
        env!.policies = env!.policies.filter((p) => p.id !== Number(m![3]));
        return [204];
      default:
        throw new Error(`the fake does not answer ${r.operationId}`);
    }
  }
}
