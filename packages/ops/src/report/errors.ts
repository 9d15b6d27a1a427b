// No imports: the CLI's entry point loads this to recognize the error (see cli.ts).

/**
 * A report that cannot be published or read back, with one line naming the cause and the fix
 * (`--from <file>: healthy: missing or of the wrong type: ...`). The CLI prints it as is, exit 1.
 */
export class ReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportError';
  }
}
