import { JsonFile, typescript } from 'projen';
import { workspaceDir, type Workspaces } from './workspaces';

/** Variables the tasks read: turbo's strict env mode hides the others (and leaves them out of the cache key). */
const PASS_THROUGH_ENV = ['CI', 'AWS_*', 'CDK_*', 'HARBOR_PLATFORM_*', 'LOCAL_STACK_*', 'GITHUB_*', 'HOME', 'PATH'];

/**
 * turbo.json (v2 `tasks`) and the root tasks that call it. Each task declares its
 * outputs so that a second run over an unchanged tree is a cache hit.
 */
export function addTurbo(root: typescript.TypeScriptProject, workspaces: Workspaces) {
  const config = workspaces.config.package.packageName;
  new JsonFile(root, 'turbo.json', {
    obj: {
      $schema: 'https://turbo.build/schema.json',
      // scripts/images and .ci/setup-node: the image test builds with them (packages/ops/test/integration/images.test.ts).
      globalDependencies: ['environments/**', 'tsconfig.json', 'scripts/local-stack/**', 'scripts/images/**', '.ci/setup-node', 'scripts/bundle.mjs', 'scripts/run-cached.cjs'],
      globalPassThroughEnv: PASS_THROUGH_ENV,
      tasks: {
        build: { dependsOn: ['^build'], outputs: ['lib/**'] },
        lint: { dependsOn: ['^build'], outputs: [] },
        // A run that skipped the integration tests must not be replayed as one that ran them.
        // The platform's tests run the bundle, as synthesis and cdk.json do.
        test: { dependsOn: ['build', 'bundle'], outputs: ['.vitest/**'], env: ['HARBOR_PLATFORM_SKIP_INTEGRATION', 'CI'] },
        // Bundles read the sources of the workspaces they import: `^transit` puts those in the hash.
        transit: { dependsOn: ['^transit'] },
        bundle: { dependsOn: ['^transit'], outputs: ['bundle/**', '!bundle/.v8-cache/**'] },
        // Synthesis runs the bundle, so the first one after `npm ci` waits for no tsc build.
        synth: { dependsOn: ['bundle'], outputs: ['dist/**', 'cdk.out/**'] },
        bench: { dependsOn: ['build', 'bundle'], cache: false },
      },
    },
  });

  const turbo = (task: string) => `turbo run ${task} --output-logs=errors-only`;
  root.compileTask.reset(turbo('build'));
  root.testTask.reset('node scripts/run-tests.mjs');
  // Synthesis itself runs outside turbo, whose log modes either hide a task's output or wrap it
  // in their own: the per-environment progress and the closing summary reach the terminal as is.
  const synth = root.addTask('synth', { description: 'Validate, plan and synthesize every environment (offline)', exec: turbo('bundle') });
  synth.exec('node ../../scripts/run-cached.cjs bundle/synth.cjs', { cwd: workspaceDir(workspaces.platform) });
  root.addTask('bundle', { description: 'Bundle the CLI and the CDK app with esbuild (npm ci runs it)', exec: turbo('bundle') });
  // npm runs `prepare` after `npm ci`/`npm install`: the CLI works straight after install.
  root.package.setScript('prepare', 'npx projen bundle');
  root.addTask('lint', { description: 'Type-check and lint every package', exec: turbo('lint') });
  root.addTask('schema', {
    description: 'Regenerate schemas/environment.schema.json from the zod schema',
    exec: `turbo run build --filter=${config} --output-logs=errors-only && npm run schema -w ${config}`,
  });
  root.addTask('bench', { description: 'Run the benchmarks', exec: 'turbo run bench --concurrency=1' });
}
