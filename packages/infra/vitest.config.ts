import { defineConfig } from 'vitest/config';

/**
 * Synthesizing a whole environment takes seconds on a 2-core machine, and most
 * test files assert on the same dev and prod stacks. Files share their worker's
 * module cache (no isolation), so test/util.ts synthesizes each environment once
 * per worker instead of once per file. Each test only reads the stacks.
 */
export default defineConfig({
  test: {
    isolate: false,
    hookTimeout: 240_000,
    testTimeout: 60_000,
  },
});
