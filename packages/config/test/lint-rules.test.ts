import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tsParser from '@typescript-eslint/parser';
import { Linter, loadESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/index.js';

// The lint rule against a bare `throw new Error` in src/ (projenrc/workspaces.ts). ESLint's Node API
// computes each workspace's config for a file of src/ and of test/ from its generated .eslintrc.json, as
// `npm run lint` does; the fixtures are linted with that config's rule (without the type-aware rules,
// which need a TypeScript program of every file and take minutes).
const root = findRepoRoot(import.meta.dirname)!;
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'lint', name), 'utf8');
const WORKSPACES = ['packages/config', 'packages/manifests', 'packages/infra', 'packages/ops', 'apps/platform'];
const RULE = 'no-restricted-syntax';

/** The rule's setting in `workspace`'s config for `file`, or undefined when the config has none. */
async function ruleFor(workspace: string, file: string): Promise<Linter.RuleEntry | undefined> {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const config = await new LegacyESLint({ cwd: join(root, workspace) }).calculateConfigForFile(join(root, workspace, file));
  return (config as { rules?: Record<string, Linter.RuleEntry> }).rules?.[RULE];
}

function lint(text: string, rule: Linter.RuleEntry) {
  const linter = new Linter({ configType: 'flat' });
  return linter
    .verify(text, { files: ['**/*.ts'], languageOptions: { parser: tsParser }, rules: { [RULE]: rule } }, 'src/fixture.ts')
    .map((m) => ({ rule: m.ruleId, severity: m.severity, line: m.line, message: m.message }));
}

describe.each(WORKSPACES)('%s lint: no bare Error in src/', (workspace) => {
  it('refuses a bare `throw new Error` in src/, naming the package\'s error module', async () => {
    const rule = await ruleFor(workspace, 'src/index.ts');
    expect(rule).toBeDefined();
    expect(lint(fixture('bare-throw.ts'), rule!)).toEqual([{
      rule: RULE,
      severity: 2,
      line: 4,
      message: `Throw a named error, not a bare Error: use (or add) a class of ${workspace}/src/errors.ts.`,
    }]);
  });

  it('refuses `throw Error(...)` without `new` as well', async () => {
    const rule = await ruleFor(workspace, 'src/index.ts');
    expect(lint(fixture('bare-throw-call.ts'), rule!).map((m) => [m.rule, m.line])).toEqual([[RULE, 3]]);
  });

  it('lets a named error through', async () => {
    expect(lint(fixture('named-throw.ts'), (await ruleFor(workspace, 'src/index.ts'))!)).toEqual([]);
  });

  it('leaves tests free to throw a bare Error', async () => {
    expect(await ruleFor(workspace, 'test/lint-rules.test.ts')).toBeUndefined();
  });
});
