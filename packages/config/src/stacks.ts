/**
 * The CloudFormation stacks of one environment, by name: the CDK app names its stacks with
 * these, and the workflows, `drift` and `preflight` find them by the same names (no lookup).
 * - `platform`: network, cluster, storage, secrets, the releases; the deploy workflow deploys it.
 * - `github`: the GitHub OIDC roles, which an administrator deploys once by hand (the pipeline
 *   cannot create the role it runs as); the deploy workflow updates it afterwards.
 */
export function stackNames(environment: string): { readonly platform: string; readonly github: string } {
  const base = `harbor-platform-${environment}`;
  return { platform: base, github: `${base}-github` };
}
