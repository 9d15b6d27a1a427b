import { defineConfig } from 'vitest/config';

/**
 * Three projects: unit tests (test/*.test.ts) first, then integration tests
 * (test/integration/**) against the real local stack (scripts/local-stack/), one file at a
 * time because fault tests stop and start the stack's services, then the image test
 * (test/integration/images.test.ts), which needs the stack's tools but not the stack.
 *
 * HARBOR_PLATFORM_SKIP_INTEGRATION=1 leaves the integration project out on a machine that
 * cannot run the stack, and says so at the start and at the end of the run; under CI=true it
 * is refused.
 */
const SKIP_VAR = 'HARBOR_PLATFORM_SKIP_INTEGRATION';
const IMAGES_TEST = 'test/integration/images.test.ts';
const skipRequested = process.env[SKIP_VAR] === '1';
if (skipRequested && process.env.CI === 'true') {
  throw new Error(`${SKIP_VAR}=1 is not allowed under CI=true: CI always runs the integration tests`);
}

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**'],
          // Several unit tests start the CLI as a process: on a loaded machine that alone can
          // pass vitest's 5 s default, which measures the machine, not the behaviour.
          testTimeout: 60_000,
          // Says at the start and at the end of the run that the integration tests were left out.
          ...(skipRequested ? { globalSetup: ['test/support/integration-not-run.ts'] } : {}),
          sequence: { groupOrder: 0 },
        },
      },
      ...(skipRequested
        ? []
        : [
          {
            extends: true,
            test: {
              name: 'integration',
              include: ['test/integration/**/*.test.ts'],
              exclude: [IMAGES_TEST],
              // Brings the stack up once (and down again if this run started it).
              globalSetup: ['test/support/local-stack-global.ts'],
              testTimeout: 120_000,
              hookTimeout: 300_000,
              // Fault tests stop services the other files use: one file at a time.
              fileParallelism: false,
              sequence: { groupOrder: 1 },
            },
          },
          {
            extends: true,
            test: {
              name: 'images',
              // Builds, pushes and runs the images (scripts/images/build) beside its own registry:
              // no local stack, so no globalSetup; after the stack's files, never beside them.
              include: [IMAGES_TEST],
              testTimeout: 120_000,
              hookTimeout: 900_000,
              fileParallelism: false,
              sequence: { groupOrder: 2 },
            },
          },
        ]),
    ],
  },
});
