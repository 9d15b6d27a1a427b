import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, problem, type Problem, type Warning } from './problems.js';
import { checkEnvironment, checkParsedSections } from './rules/index.js';
import { KNOWN_DEFAULT_SECRETS } from './schema/common.js';
import { environmentSchema, REQUIRED_FIELDS, RETIRED_FIELDS, type EnvironmentConfig } from './schema/environment.js';

export type LoadResult =
  | { ok: true; config: EnvironmentConfig; problems: []; warnings: Warning[] }
  | { ok: false; problems: Problem[]; warnings: Warning[] };

const SECRET_LIKE_KEY = /pass(word|wd)?|secret|token|credential|access.?key|private.?key/i;

/**
 * Parses and validates one environment's YAML. Never throws for bad input: every
 * problem comes back at once, each naming its field, what is wrong and the fix.
 * @param expectedName the environment name the file name implies, checked against `name`
 */
export function loadEnvironmentText(text: string, expectedName?: string): LoadResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      warnings: [],
      problems: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(file)',
        message: `malformed YAML (${e.message.split('\n')[0]})`,
        fix: 'fix the YAML syntax at that position',
      })),
    };
  }
  let raw: unknown;
  try {
    // Aliases are resolved here: an unknown anchor or an alias bomb fails now, not in the parser.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, warnings: [], problems: [{ path: '(file)', message: `malformed YAML (${(err as Error).message})`, fix: 'define each anchor (&name) before its alias (*name), and keep aliases few' }] };
  }
  const problems = findLiteralSecrets(raw);
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const name = (raw as { name?: unknown } | null)?.name;
    const environment = typeof name === 'string' ? name : (expectedName ?? '<environment>');
    problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(issue, environment)));
    // The rules still run over the sections that parsed, so one run shows every problem it can.
    const sections = parseSections(raw);
    if (!sections) return { ok: false, problems: dedupe(problems), warnings: [] };
    const partial = checkParsedSections(sections, expectedName);
    problems.push(...partial.problems);
    if (partial.unchecked.length > 0) {
      problems.push({
        path: '(rules)',
        message: `the rules that read ${partial.unchecked.join(', ')} were not checked, as those sections fail the schema`,
        fix: 'fix the problems above, then validate again',
      });
    }
    return { ok: false, problems: dedupe(problems), warnings: partial.warnings };
  }
  const checked = checkEnvironment(parsed.data, expectedName);
  problems.push(...checked.problems);
  if (problems.length > 0) return { ok: false, problems: dedupe(problems), warnings: checked.warnings };
  return { ok: true, config: parsed.data, problems: [], warnings: checked.warnings };
}

/**
 * Each top-level section of `raw` that passes its own schema, parsed; undefined when `raw` is
 * not a mapping. The environment schema is a strict object of independent sections (no
 * refinement spans two), so a section passes alone exactly when it passes in the whole.
 */
function parseSections(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const parsed: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(environmentSchema.shape)) {
    const result = (schema as z.ZodType).safeParse((raw as Record<string, unknown>)[key]);
    if (result.success) parsed[key] = result.data;
  }
  return parsed;
}

/** Reads and validates `file`; a missing or unreadable file is a problem, not a throw. */
export function loadEnvironmentFile(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      warnings: [],
      problems: [{ path: file, message: code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (err as Error).message})`, fix: 'pass the path of an environment YAML file, such as environments/dev.yaml' }],
    };
  }
  return loadEnvironmentText(text, basename(file).replace(/\.ya?ml$/, ''));
}

/** The repository root: the nearest folder above `from` with `environments/` and `turbo.json`. */
export function findRepoRoot(from = process.cwd()): string | undefined {
  if (process.env.HARBOR_PLATFORM_ROOT) return resolve(process.env.HARBOR_PLATFORM_ROOT);
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'environments')) && existsSync(join(dir, 'turbo.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Environment names found in `environments/` (the `.yaml` files). */
export function listEnvironments(root = findRepoRoot()): string[] {
  if (!root) return [];
  return readdirSync(join(root, 'environments'))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

export function environmentFile(name: string, root = findRepoRoot()): string | undefined {
  if (!root) return undefined;
  for (const ext of ['yaml', 'yml']) {
    const f = join(root, 'environments', `${name}.${ext}`);
    if (existsSync(f)) return f;
  }
  return undefined;
}

function findLiteralSecrets(value: unknown, path: PropertyKey[] = []): Problem[] {
  if (typeof value === 'string') {
    const hit = KNOWN_DEFAULT_SECRETS.find((s) => value.toLowerCase().includes(s.toLowerCase()));
    return hit
      ? [{ path: formatPath(path), message: `contains "${hit}", a known default password`, fix: 'secrets never go in the config: store the value in AWS Secrets Manager and name that secret in the matching *Secret field' }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findLiteralSecrets(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findLiteralSecrets(v, [...path, k]));
  }
  return [];
}

/** `environment` is the config's name, for the examples in a fix. */
function describeIssue(issue: z.core.$ZodIssue, environment: string): Problem[] {
  const path = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const at = formatPath([...issue.path, key]);
        const retired = RETIRED_FIELDS[at];
        if (retired) return problem(at, retired);
        return SECRET_LIKE_KEY.test(key) && !/Secret$/.test(key)
          ? { path: at, message: 'is not a field, and secrets never go in the config', fix: 'store the value in AWS Secrets Manager and name that secret in the matching *Secret field' }
          : { path: at, message: 'is not a known field', fix: 'remove it or correct its spelling (schemas/environment.schema.json lists the fields)' };
      });
    case 'invalid_type':
      if (input === undefined) return [requiredProblem(path, issue.expected, environment)];
      return [{ path, message: `is ${describe(input)}, expected ${issue.expected}`, fix: `write ${article(issue.expected)} ${issue.expected}` }];
    case 'invalid_value':
      if (input === undefined) return [{ path, message: 'is required', fix: `add it: one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
      return [{ path, message: `${describe(input)} is not allowed`, fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'too_small':
      return [{ path, message: `is ${describeSize(input)}, below the minimum of ${issue.minimum}`, fix: `use at least ${issue.minimum}` }];
    case 'too_big':
      return [{ path, message: `is ${describeSize(input)}, above the maximum of ${issue.maximum}`, fix: `use at most ${issue.maximum}` }];
    case 'invalid_union':
      return [{ path, message: `${describe(input)} matches none of the allowed forms`, fix: 'check the "type" field and the fields that go with it' }];
    default:
      return [problem(path, issue.message)];
  }
}

/** A missing field: why it is needed and where its value comes from when REQUIRED_FIELDS knows, else "add it". */
function requiredProblem(path: string, expected: string, environment: string): Problem {
  const known = REQUIRED_FIELDS[path];
  if (!known) return { path, message: 'is required', fix: `add it (${expected})` };
  return { path, message: known.why ? `is required ${known.why}` : 'is required', fix: known.fix.replaceAll('{environment}', environment) };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describeSize(v: unknown): string {
  if (Array.isArray(v)) return `${v.length} items`;
  if (typeof v === 'string') return `${v.length} characters`;
  return String(v);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
