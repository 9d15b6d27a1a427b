import type { EnvironmentSpec, OptionSpec, OptionSpecs } from './declare.js';

/** What {@link renderHelp} prints, all of it from a command's declaration. */
export interface HelpParts {
  readonly usage: readonly string[];
  readonly description: string;
  readonly options: OptionSpecs;
  readonly environment: readonly EnvironmentSpec[];
  readonly exitStatus?: string;
}

/** The widest term (`--name <placeholder>`) that still has its description beside it on its own column. */
const MAX_TERM = 26;

/**
 * A command's help, after `usage: harbor-platform `: the usage line(s), the description, then
 * `options:` (each with its description and default), `environment:` and `exit status:`.
 */
export function renderHelp(parts: HelpParts): string {
  // Each further usage line under the first, as `usage: harbor-platform ` would start it.
  const blocks = [parts.usage.map((u, i) => (i ? `       harbor-platform ${u}` : u)).join('\n'), parts.description.trim()];
  const options = Object.entries(parts.options).map(([name, o]) => ({ term: optionTerm(name, o), description: optionDescription(o) }));
  if (options.length) blocks.push(`options:\n${definitionList(options)}`);
  if (parts.environment.length) blocks.push(`environment:\n${definitionList(parts.environment.map((e) => ({ term: e.name, description: e.description })))}`);
  if (parts.exitStatus) blocks.push(`exit status: ${parts.exitStatus}`);
  return blocks.filter(Boolean).join('\n\n');
}

/** `--name <placeholder>` or `--name`: how help and the usage line name an option. */
export function optionTerm(name: string, o: OptionSpec): string {
  return o.type === 'string' ? `--${name} ${o.placeholder}` : `--${name}`;
}

function optionDescription(o: OptionSpec): string {
  const shown = o.type === 'string' ? (o.default ?? o.defaultText) : undefined;
  return shown === undefined ? o.description : `${o.description} (default ${shown})`;
}

/** Terms in a column, descriptions beside them; a term too wide for the column has its description on the lines below. */
function definitionList(items: readonly { term: string; description: string }[]): string {
  // The column fits the widest term that is not too wide; when none fits (long variable names), descriptions go under them.
  const width = Math.max(4, ...items.map((i) => i.term.length).filter((n) => n <= MAX_TERM));
  const indent = ' '.repeat(2 + width + 2);
  return items
    .flatMap(({ term, description }) => {
      const lines = description.split('\n').map((l) => l.trim());
      if (term.length > width) return [`  ${term}`, ...lines.map((l) => indent + l)];
      return [`  ${term.padEnd(width)}  ${lines[0]}`, ...lines.slice(1).map((l) => indent + l)];
    })
    .join('\n');
}
