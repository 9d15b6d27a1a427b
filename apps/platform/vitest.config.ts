import { defineConfig } from 'vitest/config';

/**
 * Several tests synthesize whole environments or render the real charts with helm, which
 * takes seconds on a 2-core machine and more while it is busy: a bound that fails on a slow
 * machine, not on a wrong result. Timings are measured in benchmarks, never here.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
