#!/usr/bin/env node
// The harbor-platform CLI as one self-contained ES module for the ops image: the workspace
// sources and every dependency inlined (no chunks, no node_modules beside it), started by
// `#!/usr/bin/node`. The repository's own bundle (scripts/bundle.mjs) splits into chunks and
// points dependencies' data files into node_modules, neither of which an image has.
//
//   node scripts/images/ops-bundle.mjs <out-file.mjs>
//
// @see https://esbuild.github.io/api/#bundle
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';
import { workspacePlugin, workspaceSources } from '../bundle.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const [out] = process.argv.slice(2);
if (!out || !out.endsWith('.mjs')) {
  console.error('usage: node scripts/images/ops-bundle.mjs <out-file.mjs>');
  process.exit(2);
}

mkdirSync(dirname(resolve(out)), { recursive: true });
await build({
  stdin: {
    // What bin/harbor-platform.js does with a build: run main with the arguments, keep its exit code.
    contents: "import { main } from './packages/ops/src/cli.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n",
    resolveDir: ROOT,
    sourcefile: 'harbor-platform-image-entry.ts',
    loader: 'ts',
  },
  outfile: resolve(out),
  bundle: true,
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  keepNames: true,
  // CommonJS dependencies call require() for Node's built-ins.
  banner: { js: "#!/usr/bin/node\nimport { createRequire as __hpCreateRequire } from 'node:module'; const require = __hpCreateRequire(import.meta.url);" },
  plugins: [workspacePlugin(workspaceSources())],
  // Optional dependencies some packages probe for at run time, never installed here.
  external: ['fsevents', 'bufferutil', 'utf-8-validate'],
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: ROOT,
});
chmodSync(resolve(out), 0o755);
console.error(`ops-bundle: ${out}`);
