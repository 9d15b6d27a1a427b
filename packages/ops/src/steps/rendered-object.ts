/** A rendered Kubernetes object, as `buildManifests(config)` of packages/manifests produces it. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}
