import { Octokit } from '@octokit/rest';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkedFetch, githubSpec, operationFor, type Json } from './support/github-openapi.js';
import { GithubIssueTracker } from '../src/github/issues.js';
import { reconcileIssue, reportLabels, type Report } from '../src/report/issue.js';

beforeAll(() => {
  githubSpec();
}, 60_000);

const issue = (number: number, title: string, extra: object = {}) => ({
  id: 1000 + number,
  node_id: `I_${number}`,
  url: `https://api.github.com/repos/example-org/harbor-platform/issues/${number}`,
  repository_url: 'https://api.github.com/repos/example-org/harbor-platform',
  labels_url: '',
  comments_url: '',
  events_url: '',
  html_url: `https://github.com/example-org/harbor-platform/issues/${number}`,
  number,
  state: 'open',
  title,
  body: 'details',
  user: null,
  labels: [],
  assignee: null,
  assignees: [],
  milestone: null,
  locked: false,
  active_lock_reason: null,
  comments: 0,
  closed_at: null,
  created_at: '2026-11-24T05:00:00Z',
  updated_at: '2026-11-24T05:00:00Z',
  author_association: 'NONE',
  ...extra,
});
const comment = { id: 7, node_id: 'IC_7', url: 'https://api.github.com/repos/example-org/harbor-platform/issues/comments/7', html_url: 'https://github.com/example-org/harbor-platform/issues/5#issuecomment-7', body: 'x', user: null, created_at: '2026-11-25T05:00:00Z', updated_at: '2026-11-25T05:00:00Z', issue_url: 'https://api.github.com/repos/example-org/harbor-platform/issues/5', author_association: 'NONE' };

/**
 * An Octokit whose requests never leave the process: each one must be an operation of
 * GitHub's description, with known query parameters and a body its schema accepts; the
 * canned answer must match the documented response schema too (support/github-openapi).
 */
function recordingOctokit(openIssues: Json[]) {
  const { fetch, requests } = checkedFetch(({ operationId, body }, url) =>
    operationId === 'issues/list-for-repo' ? [200, openIssues]
      : operationId === 'issues/create' ? [201, issue(42, body.title, { labels: [] })]
        : operationId === 'issues/update' ? [200, issue(Number(url.pathname.split('/').pop()), body.title ?? 'x', { state: body.state ?? 'open' })]
          : operationId === 'issues/create-comment' ? [201, comment]
            : [500, {}]);
  const octokit = new Octokit({ request: { fetch, retries: 0 } });
  return { requests, tracker: new GithubIssueTracker({ owner: 'example-org', repo: 'harbor-platform', octokit }) };
}

const failing: Report = { environment: 'prod', kind: 'drift', healthy: false, headline: 'stack prod-platform: 1 resource(s) drifted', body: '## Drift of prod: DRIFT FOUND' };
const green: Report = { ...failing, healthy: true, headline: 'no drift', body: '## Drift of prod: no drift' };

describe('GitHub issue reports (requests checked against GitHub\'s OpenAPI description)', () => {
  it('creates the labelled issue when none is open', async () => {
    const { requests, tracker } = recordingOctokit([]);
    expect(await reconcileIssue(tracker, failing)).toEqual({ action: 'created', number: 42 });
    expect(requests.map((r) => r.operationId)).toEqual(['issues/list-for-repo', 'issues/create']);
    expect(requests[0]!.path).toBe('/repos/example-org/harbor-platform/issues');
    expect(requests[0]!.query).toMatchObject({ state: 'open', labels: 'harbor-platform:drift,env:prod' });
    expect(requests[1]!.body).toEqual({ title: 'Drift in prod', body: failing.body, labels: reportLabels('drift', 'prod') });
  });

  it('updates the open issue (and comments) instead of opening a second one', async () => {
    const { requests, tracker } = recordingOctokit([issue(5, 'Drift in prod')]);
    expect(await reconcileIssue(tracker, failing)).toEqual({ action: 'updated', number: 5 });
    expect(requests.map((r) => `${r.operationId} ${r.path}`)).toEqual([
      'issues/list-for-repo /repos/example-org/harbor-platform/issues',
      'issues/update /repos/example-org/harbor-platform/issues/5',
      'issues/create-comment /repos/example-org/harbor-platform/issues/5/comments',
    ]);
    expect(requests[1]!.body).toEqual({ title: 'Drift in prod', body: failing.body });
  });

  it('comments and closes the open issue when the environment is green', async () => {
    const { requests, tracker } = recordingOctokit([issue(5, 'Drift in prod')]);
    expect(await reconcileIssue(tracker, green)).toEqual({ action: 'closed', number: 5 });
    expect(requests.map((r) => r.operationId)).toEqual(['issues/list-for-repo', 'issues/create-comment', 'issues/update']);
    expect(requests[2]!.body).toEqual({ state: 'closed', state_reason: 'completed' });
  });

  it('does nothing when green and no issue is open', async () => {
    const { requests, tracker } = recordingOctokit([]);
    expect(await reconcileIssue(tracker, green)).toEqual({ action: 'none' });
    expect(requests.map((r) => r.operationId)).toEqual(['issues/list-for-repo']);
  });

  it('ignores pull requests that carry the labels', async () => {
    const pr = issue(9, 'Fix drift', { pull_request: { url: 'https://api.github.com/repos/example-org/harbor-platform/pulls/9', html_url: null, diff_url: null, patch_url: null } });
    const { tracker } = recordingOctokit([pr]);
    expect(await reconcileIssue(tracker, failing)).toEqual({ action: 'created', number: 42 });
  });

  it('the check is live: a request GitHub does not know is refused', () => {
    expect(() => operationFor('POST', new URL('https://api.github.com/repos/o/r/issues/5/close'))).toThrow(/not an operation/);
  });
});
