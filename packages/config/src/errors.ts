/**
 * The errors `@harbor-platform/config` throws. Each message is one line, `path: problem: fix`,
 * so a caller prints `message` and never a stack trace. A bare `Error` in `src/` is a lint error
 * (`no-restricted-syntax` in projenrc/workspaces.ts): throw one of these instead.
 */

/** Base of every error of this package: bad input (a config field, a helper's argument). */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A validated config from which a plan cannot be derived (a missing GitHub ID, a malformed size). */
export class PlanError extends ConfigError {}

/**
 * A test helper (`@harbor-platform/config/testing`) that cannot give what a test asked for:
 * an environment that does not exist or validate, a tool that does not run, a chart that renders nothing.
 */
export class TestingError extends ConfigError {}

/** Upstream reference data (`../shared/upstream`) missing where a check must run (under CI). */
export class UpstreamDataMissing extends TestingError {}
