import type { EnvironmentSpec } from './declare.js';

/**
 * Variables several commands read, declared once so each command's `environment:` section
 * says the same about them (a test holds every command's help to the variables its code reads).
 */

/** Where the Kubernetes client (and kubectl) find the cluster: the file(s), then ~/.kube/config, then a pod's service account. */
export const KUBECONFIG_VARIABLE: EnvironmentSpec = {
  name: 'KUBECONFIG',
  description: 'the kubeconfig file(s), current context (default ~/.kube/config; in a pod, its service account)',
};

/** Where `--env <name>` looks for environments/ (config's findRepoRoot reads it). */
export const ROOT_VARIABLE: EnvironmentSpec = {
  name: 'HARBOR_PLATFORM_ROOT',
  description: 'with --env: the repository whose environments/ holds <name>.yaml\n(default the nearest folder above the current one with environments/ and turbo.json)',
};

/** The job summary a report is appended to in GitHub Actions ({@link writeJobSummary}). */
export const STEP_SUMMARY_VARIABLE: EnvironmentSpec = {
  name: 'GITHUB_STEP_SUMMARY',
  description: 'the job summary file GitHub Actions sets; the report is appended when set',
};

/** The token a command files, updates or closes an issue with; GH_TOKEN is gh's name for the same token. */
export function githubTokenVariable(description: string): EnvironmentSpec {
  return { name: 'GITHUB_TOKEN (or GH_TOKEN)', description };
}
