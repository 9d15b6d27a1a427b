import { findRepoRoot } from '@harbor-platform/config';
import { synthAll } from './synth-all.js';

// `npm run synth`: see synth-all.ts.
const root = findRepoRoot();
if (!root) {
  console.error('synth: no environments/ folder found above the current directory');
  process.exitCode = 1;
} else {
  process.exitCode = synthAll(root);
}
