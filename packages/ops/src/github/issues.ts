import { Octokit } from '@octokit/rest';

/** An open report issue as the tracker returns it. */
export interface IssueRef {
  readonly number: number;
  readonly title: string;
  readonly body: string;
}

/** The few issue operations the reports need; tests pass a fake or an Octokit with a recording fetch. */
export interface IssueTracker {
  /** The oldest open issue carrying every one of the labels (pull requests excluded). */
  findOpen(labels: string[]): Promise<IssueRef | undefined>;
  create(issue: { title: string; body: string; labels: string[] }): Promise<IssueRef>;
  update(number: number, change: { title: string; body: string }): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  close(number: number): Promise<void>;
}

export interface GithubIssueTrackerProps {
  /** Repository owner (the environment's `github.owner`). */
  readonly owner: string;
  /** Repository name (the environment's `github.repo`). */
  readonly repo: string;
  /** A client; tests pass one with a recording `request.fetch`. @default new Octokit({ auth: token }) */
  readonly octokit?: Octokit;
  /** Token for the default client: the workflow's GITHUB_TOKEN with `issues: write`. */
  readonly token?: string;
}

/** Issues of one repository through @octokit/rest. */
export class GithubIssueTracker implements IssueTracker {
  private readonly octokit: Octokit;
  private readonly repoRef: { owner: string; repo: string };

  constructor(props: GithubIssueTrackerProps) {
    this.octokit = props.octokit ?? new Octokit({ auth: props.token, userAgent: 'harbor-platform-ops' });
    this.repoRef = { owner: props.owner, repo: props.repo };
  }

  async findOpen(labels: string[]): Promise<IssueRef | undefined> {
    const { data } = await this.octokit.rest.issues.listForRepo({
      ...this.repoRef,
      state: 'open',
      labels: labels.join(','),
      sort: 'created',
      direction: 'asc',
      per_page: 100,
    });
    const issue = data.find((i) => !i.pull_request);
    return issue && { number: issue.number, title: issue.title, body: issue.body ?? '' };
  }

  async create(issue: { title: string; body: string; labels: string[] }): Promise<IssueRef> {
    const { data } = await this.octokit.rest.issues.create({ ...this.repoRef, ...issue });
    return { number: data.number, title: data.title, body: data.body ?? '' };
  }

  async update(number: number, change: { title: string; body: string }): Promise<void> {
    await this.octokit.rest.issues.update({ ...this.repoRef, issue_number: number, ...change });
  }

  async comment(number: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...this.repoRef, issue_number: number, body });
  }

  async close(number: number): Promise<void> {
    await this.octokit.rest.issues.update({ ...this.repoRef, issue_number: number, state: 'closed', state_reason: 'completed' });
  }
}
