import { defineConfig } from 'vitest/config';

/**
 * The workflow tests (projenrc/test/): they read the generated .github/workflows/*.yml and run
 * their steps' scripts with stand-ins, next to the code that generates them. The root `npm test`
 * runs them after the workspaces' tests (scripts/run-tests.mjs), which build what they import:
 * `@harbor-platform/config` and the CLI.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    // Several tests start the CLI as a process: on a loaded machine that alone can pass
    // vitest's 5 s default, which measures the machine, not the behaviour.
    testTimeout: 60_000,
  },
});
