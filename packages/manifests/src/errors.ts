/**
 * The errors `@harbor-platform/manifests` throws while building charts: bad props or plan values a
 * chart cannot render, one line `path: problem: fix`. A bare `Error` in `src/` is a lint error
 * (`no-restricted-syntax` in projenrc/workspaces.ts): throw this instead.
 */
export class ManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
