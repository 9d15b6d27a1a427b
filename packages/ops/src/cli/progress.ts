/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Where to write. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Whether to write at all. @default on, except under CI (the final report says it all there) */
  readonly enabled?: boolean;
  /** Least time between two lines when the stream is not a terminal, in ms. @default 5000 */
  readonly intervalMs?: number;
}

/**
 * Progress of a long operation on stderr: one line rewritten in place on a terminal,
 * a line every few seconds in a log, nothing under CI.
 */
export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly intervalMs: number;
  // Quiet for the first interval: a short run in a log prints nothing but its result.
  private last = Date.now();
  private shown = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = options.enabled ?? !process.env.CI;
    this.intervalMs = options.intervalMs ?? 5000;
  }

  /** Shows `text`, throttled when the stream is not a terminal. */
  update(text: string): void {
    if (!this.enabled) return;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.shown = true;
      return;
    }
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.stream.write(text + '\n');
  }

  /** Clears the line on a terminal before the report is printed. */
  done(): void {
    if (this.shown && this.stream.isTTY) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

/**
 * The progress of a command: off under `--json` (the document is the whole output) and
 * under CI, on stderr otherwise.
 */
export function progressFor(args: { readonly values: Record<string, unknown> }, options: Omit<ProgressOptions, 'enabled'> = {}): Progress {
  return new Progress({ ...options, enabled: !args.values.json && !process.env.CI });
}

/** `12.3 MiB` */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) (value /= 1024), unit++;
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
