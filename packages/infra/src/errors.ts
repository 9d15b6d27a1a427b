import type { IConstruct } from 'constructs';

/**
 * The errors `@harbor-platform/infra` throws. Each message is one line (or one line per
 * problem) naming the construct, the prop and the fix, so a caller never needs a stack trace.
 * A bare `Error` in `src/` is a lint error (`no-restricted-syntax` in projenrc/workspaces.ts):
 * throw one of these instead.
 * @see https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/core/lib/errors.ts aws-cdk-lib's ValidationError, the model
 */
export class InfraError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A construct asked for something its inputs do not hold (a subnet in another zone, an unknown
 * secret role, a value that is not a Velero duration).
 */
export class ValidationError extends InfraError {
  /** The construct path of the scope at fault. @default - not tied to one construct */
  readonly constructPath?: string;

  /** @param scope the construct at fault, recorded as `constructPath` (not added to the message). */
  constructor(message: string, scope?: IConstruct) {
    super(message);
    this.constructPath = scope?.node.path;
  }
}

/**
 * Invalid construct props. The message names the construct, every offending
 * prop, the value it got and the fix, so a caller never needs a stack trace.
 */
export class PropsError extends InfraError {
  constructor(readonly construct: string, readonly problems: readonly string[]) {
    super(`${construct}: invalid props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Collects problems "prop: what is wrong: fix", then throws them all at once. */
export class PropsCheck {
  private readonly problems: string[] = [];

  constructor(private readonly construct: string) {}

  /** Records `problem` when `ok` is false. */
  require(ok: boolean, problem: string): this {
    if (!ok) this.problems.push(problem);
    return this;
  }

  /** Throws a PropsError when anything was recorded. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new PropsError(this.construct, this.problems);
  }
}
