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
  node: '20',
  // Builds the local stack's Go programs (scripts/local-stack/go-tools.tsv) in the build workflow.
  go: '1.26',
} as const;
