/**
 * globalSetup used only when HARBOR_PLATFORM_SKIP_INTEGRATION=1 leaves the integration tests
 * out (see vitest.config.ts): says so when the run starts and again when it ends. A global
 * setup rather than a reporter, because reporters given on the command line replace the
 * config's.
 */
const NOTICE =
  '\n!! INTEGRATION TESTS WERE NOT RUN (HARBOR_PLATFORM_SKIP_INTEGRATION=1): ' +
  'test/integration/** against the local stack was left out of this run.\n';

export default function setup(): () => void {
  process.stderr.write(NOTICE);
  return () => {
    process.stderr.write(NOTICE);
  };
}
