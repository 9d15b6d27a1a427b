import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Component, github, JsonPatch, type Project } from 'projen';

/**
 * Third-party actions, pinned to the commit their release tag points at. projen rewrites
 * every `uses:` through `github.actions` (pinActions), and PinComments writes the version
 * beside each SHA so a reviewer can read what is pinned.
 */
export const PINNED_ACTIONS: Readonly<Record<string, { readonly sha: string; readonly version: string }>> = {
  'actions/checkout': { sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  'actions/setup-node': { sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  'actions/upload-artifact': { sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
  'actions/download-artifact': { sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  'actions/setup-go': { sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', version: 'v7.0.0' },
  'aws-actions/configure-aws-credentials': { sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', version: 'v6.2.3' },
};

/** The project's GitHub component, with every action of PINNED_ACTIONS replaced by its pinned commit. */
export function pinnedGithub(project: Project): github.GitHub {
  const gh = github.GitHub.of(project);
  if (!gh) throw new Error(`projenrc/workflows/workflow-file.ts: project ${project.name} has no GitHub component (github: true)`);
  for (const [action, pin] of Object.entries(PINNED_ACTIONS)) gh.actions.set(action, `${action}@${pin.sha}`);
  return gh;
}

/**
 * A workflow whose token has no permission at all unless a job asks for one, its pinned
 * actions annotated with their versions.
 */
export function createWorkflow(project: Project, name: string): github.GithubWorkflow {
  const wf = pinnedGithub(project).addWorkflow(name);
  // `permissions: {}` (no permission) needs a patch: projen's addOverride merges objects and
  // drops an empty one; JsonPatch is its documented way to write a value as is.
  wf.file!.patch(JsonPatch.add('/permissions', {}));
  new PinComments(project, wf);
  return wf;
}

/**
 * Appends `# <version>` to each rendered `uses: <action>@<sha>` line of a workflow file. YAML
 * cannot carry a comment inside a value and projen renders the file from an object, so this
 * runs after projen has written it (postSynthesize, a public hook), rewriting the file with the
 * same mode projen gave it. Deterministic: a second `npx projen` leaves the tree as it was.
 */
class PinComments extends Component {
  constructor(project: Project, private readonly workflow: github.GithubWorkflow) {
    super(project, `PinComments#${workflow.name}`);
  }

  postSynthesize(): void {
    const path = this.workflow.file!.absolutePath;
    const text = readFileSync(path, 'utf8');
    const annotated = annotatePins(text);
    if (annotated === text) return;
    const mode = statSync(path).mode & 0o777;
    chmodSync(path, mode | 0o200);
    writeFileSync(path, annotated);
    chmodSync(path, mode);
  }
}

/** The workflow's text with the version of each pinned action beside its SHA (a line already annotated stays as is). */
export function annotatePins(text: string): string {
  return text.replace(/^(\s*(?:- )?uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}))$/gm, (line, _all, action: string, sha: string) => {
    const pin = PINNED_ACTIONS[action];
    return pin && pin.sha === sha ? `${line} # ${pin.version}` : line;
  });
}
