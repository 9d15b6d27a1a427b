/**
 * The step plumbing of the drill and the restore: which step a run is in, the one error that
 * fails a step, and each step's wall time. A run enters its steps in order; whatever it throws
 * fails the step it is in, unless the error names another step (a StepFailure thrown by a
 * helper that knows better, e.g. fillAndVerify's `fill-minio` or `verify`).
 */

/** Fails one step of a run with one precise reason; `step` is unset until the runner knows it. */
export class StepFailure<S extends string = string> extends Error {
  constructor(message: string, readonly step?: S) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** One entered step and its wall time (ms, on the run's clock). */
export interface StepTiming<S extends string = string> {
  readonly step: S;
  readonly ms: number;
}

export interface StepRunnerOptions<S extends string> {
  /** The step a run is in before it enters another. */
  readonly first: S;
  /** The run's clock (ms); tests pass a fake one. */
  readonly now: () => number;
}

/** Tracks the step a run is in and times each one; turns any error into that step's StepFailure. */
export class StepRunner<S extends string> {
  private current: S;
  private startedAt: number;
  private readonly done: StepTiming<S>[] = [];

  constructor(private readonly options: StepRunnerOptions<S>) {
    this.current = options.first;
    this.startedAt = options.now();
  }

  /** The step the run is in. */
  get step(): S {
    return this.current;
  }

  /** Ends the current step and enters `name`: what fails from here on fails there. */
  enter(name: S): void {
    if (name === this.current) return;
    this.close();
    this.current = name;
    this.startedAt = this.options.now();
  }

  /** Enters `name` and runs `body` in it; any error it throws is that step's failure. */
  async run<T>(name: S, body: () => Promise<T> | T): Promise<T> {
    this.enter(name);
    try {
      return await body();
    } catch (err) {
      throw this.failure(err);
    }
  }

  /**
   * Runs `body` in the current step (its time counts there) but fails the step named: a check
   * of what a later step needs, done before the run changes anything.
   */
  async failsAs<T>(name: S, body: () => Promise<T> | T): Promise<T> {
    try {
      return await body();
    } catch (err) {
      throw err instanceof StepFailure && err.step !== undefined ? err : new StepFailure<S>(err instanceof Error ? err.message : String(err), name);
    }
  }

  /** Fails the current step, or the one named. */
  fail(message: string, step: S = this.current): never {
    throw new StepFailure<S>(message, step);
  }

  /** Any error as a StepFailure: one that names its step as is, anything else of the current step. */
  failure(err: unknown): StepFailure<S> & { readonly step: S } {
    if (err instanceof StepFailure && err.step !== undefined) return err as StepFailure<S> & { readonly step: S };
    return new StepFailure<S>(err instanceof Error ? err.message : String(err), this.current) as StepFailure<S> & { readonly step: S };
  }

  /** Every step entered so far with its wall time, the current one up to now. */
  timings(): StepTiming<S>[] {
    return [...this.done, { step: this.current, ms: this.options.now() - this.startedAt }];
  }

  private close() {
    this.done.push({ step: this.current, ms: this.options.now() - this.startedAt });
  }
}
