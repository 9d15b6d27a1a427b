import { join } from 'node:path';
import { findRepoRoot } from '@harbor-platform/config';
import { CommandError } from './command.js';

/** Where `npm run synth` writes (apps/platform/src/synth.ts), relative to the repository root. */
export function synthPaths(environment: string, root = findRepoRoot()) {
  if (!root) throw new CommandError(`no environments/ folder above ${process.cwd()}: run from the repository`);
  return {
    assemblyDir: join(root, 'apps/platform/cdk.out'),
    manifestsDir: join(root, 'apps/platform/dist', environment, 'manifests'),
  };
}
