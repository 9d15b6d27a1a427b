import { JsonFile, typescript } from 'projen';

/** The vitest config of the workflow tests (projenrc/test/), relative to the root. */
export const WORKFLOW_TESTS_CONFIG = 'projenrc/vitest.config.mts';
/**
 * Where their JSON report goes, relative to the config's root (projenrc/): scripts/run-tests.mjs
 * counts projenrc/.vitest/results.json in the closing line of `npm test`, as a package's.
 */
const WORKFLOW_TESTS_RESULTS = '.vitest/results.json';

/**
 * The workflow tests, next to the generator: the root task `test:workflows` (which the root
 * `npm test` runs after the workspaces' tests, scripts/run-tests.mjs), their tsconfig (ES
 * modules, as vitest runs them; the root package is CommonJS for projen's ts-node), and their
 * type check in the root `lint`.
 */
export function addWorkflowTests(root: typescript.TypeScriptProject) {
  const task = root.addTask('test:workflows', { description: 'Run the workflow tests (projenrc/test: actionlint, the steps run with stand-ins)' });
  // They read plans through packages/config and run the ops CLI: build them first (a turbo cache hit after `npm test`'s run).
  task.exec('turbo run build bundle --filter=@harbor-platform/ops... --output-logs=errors-only');
  task.exec(`vitest run --config ${WORKFLOW_TESTS_CONFIG} --reporter=default --reporter=json --outputFile.json=${WORKFLOW_TESTS_RESULTS}`, { receiveArgs: true });
  root.gitignore.addPatterns('/projenrc/.vitest/');
  new JsonFile(root, 'projenrc/test/tsconfig.json', {
    obj: {
      compilerOptions: {
        module: 'ESNext',
        moduleResolution: 'Bundler',
        target: 'ES2022',
        lib: ['es2022'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
      },
      include: ['**/*.ts', '../vitest.config.mts'],
    },
  });
  root.tasks.tryFind('lint')!.exec('tsc --noEmit -p projenrc/test/tsconfig.json');
}
