/**
 * A rendered Kubernetes object, as a cdk8s chart's `toJson()` gives it: the fields that say
 * what it is and where it goes, which is all the access rules derived from rendered objects
 * read (packages/manifests' `diffRules`, packages/infra's workflow access). Declared here, the
 * lowest layer both depend on, so the two agree on one shape.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields
 */
export interface RenderedObject {
  /** `<group>/<version>`, or `v1` for the core group. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent `namespace`: a cluster-scoped object, or one the manifest leaves to the applier's namespace. */
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}
