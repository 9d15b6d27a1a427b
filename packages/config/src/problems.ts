/** One thing wrong with a config: where, what, and how to fix it. */
export interface Problem {
  /** Dotted path of the field, such as `minio.pools[0].serversPerAz` (`(file)` for the whole file). */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** Something allowed but worth a second look (printed, never fatal). */
export interface Warning {
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.path}: ${p.message}: ${p.fix}`;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(file)';
}

/** Splits "what: fix" written in one schema message. */
export function problem(path: string, text: string): Problem {
  const at = text.indexOf(': ');
  return at < 0 ? { path, message: text, fix: 'see the schema in schemas/environment.schema.json' } : { path, message: text.slice(0, at), fix: text.slice(at + 2) };
}
