import { join } from 'node:path';
import { loadESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rules every workspace's .eslintrc.json carries (projenrc/workspaces.ts), run through
 * ESLint's Node API with this package's own config on fixtures the normal lint run leaves out.
 */
const PACKAGE = join(import.meta.dirname, '..');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'lint-cycle');

async function lint(dir: string) {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  // ignore: false, since the config ignores these fixtures for the normal run.
  const eslint = new LegacyESLint({ cwd: PACKAGE, overrideConfigFile: join(PACKAGE, '.eslintrc.json'), useEslintrc: false, ignore: false });
  const results = await eslint.lintFiles([join(dir, '*.ts')]);
  return results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath.slice(dir.length + 1), rule: m.ruleId, message: m.message })));
}

// The first lint loads the parser, the plugins and the resolver: minutes on a loaded machine.
describe('import/no-cycle', { timeout: 300_000 }, () => {
  it('fails two modules that import each other, in both of them', async () => {
    const messages = await lint(join(FIXTURES, 'cyclic'));
    expect(messages.filter((m) => m.rule === 'import/no-cycle').map((m) => m.file).sort()).toEqual(['drive.ts', 'zone.ts']);
    expect(messages.every((m) => m.rule === 'import/no-cycle' && /cycle/i.test(m.message))).toBe(true);
  });

  it('passes the same modules once one of the imports is gone', async () => {
    expect(await lint(join(FIXTURES, 'acyclic'))).toEqual([]);
  });
});
