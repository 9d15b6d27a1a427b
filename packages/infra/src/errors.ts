/**
 * Invalid construct props. The message names the construct, every offending
 * prop, the value it got and the fix, so a caller never needs a stack trace.
 */
export class PropsError extends Error {
  constructor(readonly construct: string, readonly problems: readonly string[]) {
    super(`${construct}: invalid props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PropsError';
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
