#!/usr/bin/env node
// One ES module per entry point, bundled from TypeScript sources with esbuild: the workspace
// packages are read from their src/ (no tsc build needed first) and every dependency is
// inlined, so Node loads one file instead of about a thousand CommonJS modules.
//
//   node scripts/bundle.mjs [--cjs] <out-dir> <entry.ts>...
//
// Type checking stays with tsc (`npm run build`, `npm run lint`, `npm test`); this only
// transpiles, which is why the first synthesis after `npm ci` needs no compile step.
// @see https://esbuild.github.io/api/#bundle
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `@harbor-platform/<name>` and its subpaths -> packages/<name>/src or apps/<name>/src. */
export function workspaceSources() {
  const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const aliases = {};
  for (const pattern of workspaces) {
    const parent = join(ROOT, pattern.replace(/\/\*$/, ''));
    for (const dir of readdirSafe(parent)) {
      const pkgFile = join(parent, dir, 'package.json');
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      } catch {
        continue;
      }
      aliases[pkg.name] = join(parent, dir, 'src');
    }
  }
  return aliases;
}

function readdirSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Resolves `@harbor-platform/x[/sub]` to `<src>/[sub/]index.ts`, as the package's exports map does for lib/. */
export function workspacePlugin(aliases) {
  return {
    name: 'workspace-sources',
    setup(b) {
      b.onResolve({ filter: /^@harbor-platform\// }, (args) => {
        const [scope, name, ...sub] = args.path.split('/');
        const src = aliases[`${scope}/${name}`];
        if (!src) return undefined;
        return { path: join(src, ...sub, 'index.ts') };
      });
    },
  };
}

/**
 * `path`, relative to the bundle's folder, as an expression evaluated where the bundle
 * runs: no absolute path is written into a bundle, so one restored from turbo's cache
 * (which git worktrees share) points into its own checkout. The banner defines the
 * `__hp*` names, which no source shadows (unlike `require`).
 */
function besideBundle(outDir, path) {
  return `__hpPath.join(__hpBundleDir, ${JSON.stringify(relative(outDir, path))})`;
}

/**
 * Dependencies find their data files (Lambda handler code, layer zips, JSON policies)
 * next to themselves through __dirname/__filename. Each bundled CommonJS module keeps
 * its own, pointing at its real place under node_modules.
 */
function ownDirnamePlugin(outDir) {
  return {
    name: 'own-dirname',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!/__dirname|__filename/.test(source)) return undefined;
        const prelude = `var __dirname = ${besideBundle(outDir, dirname(args.path))}, __filename = ${besideBundle(outDir, args.path)};`;
        return { contents: prelude + source, loader: 'js' };
      });
    },
  };
}

/**
 * In a CommonJS bundle, `import.meta` of the workspace sources becomes the source file's
 * own URL and folder, as it is when tsc's output runs.
 */
function importMetaPlugin(outDir) {
  return {
    name: 'import-meta',
    setup(b) {
      b.onLoad({ filter: /[\\/](packages|apps)[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const contents = source
          .replaceAll('import.meta.url', `__hpUrl.pathToFileURL(${besideBundle(outDir, args.path)}).href`)
          .replaceAll('import.meta.dirname', besideBundle(outDir, dirname(args.path)))
          .replaceAll('import.meta.filename', besideBundle(outDir, args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Bundles each entry into `<outDir>/<name>.mjs` (ES modules, shared code in chunks that
 * load on first use), or with `format: 'cjs'` into one self-contained `<name>.cjs` each,
 * which `scripts/run-cached.cjs` can run from V8's code cache. Returns the output files.
 */
export async function bundle(outDir, entries, { format = 'esm' } = {}) {
  const esm = format === 'esm';
  // Chunk names are content hashes: the folder is rebuilt whole, so no stale chunk is left.
  rmSync(resolve(outDir), { recursive: true, force: true });
  const result = await build({
    entryPoints: entries.map((e) => resolve(e)),
    outdir: resolve(outDir),
    outExtension: { '.js': esm ? '.mjs' : '.cjs' },
    bundle: true,
    splitting: esm,
    platform: 'node',
    format,
    target: 'node20',
    // Smaller text to read and decode; names stay, as constructs and stack traces show them.
    minifyWhitespace: !esm,
    keepNames: true,
    // CommonJS dependencies call require() for Node's built-ins and their JSON files.
    banner: {
      js: esm
        ? "import { createRequire as __hpCreateRequire } from 'node:module'; import * as __hpPath from 'node:path';"
          + ' const require = __hpCreateRequire(import.meta.url); const __hpBundleDir = import.meta.dirname;'
        : 'var __hpBundleDir = __dirname, __hpPath = require("node:path"), __hpUrl = require("node:url");',
    },
    plugins: [workspacePlugin(workspaceSources()), ownDirnamePlugin(resolve(outDir)), ...(esm ? [] : [importMetaPlugin(resolve(outDir))])],
    // Optional dependencies some packages probe for at run time, never installed here.
    external: ['fsevents', 'bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
    legalComments: 'none',
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).filter((f) => /\.c?m?js$/.test(f));
}

if (process.argv[1] && basename(process.argv[1]) === 'bundle.mjs') {
  const args = process.argv.slice(2);
  const format = args.includes('--cjs') ? 'cjs' : 'esm';
  const [outDir, ...entries] = args.filter((a) => a !== '--cjs');
  if (!outDir || entries.length === 0) {
    console.error('usage: node scripts/bundle.mjs [--cjs] <out-dir> <entry.ts>...');
    process.exit(2);
  }
  const files = await bundle(outDir, entries, { format });
  console.log(`bundle: ${files.filter((f) => !basename(f).startsWith('chunk-')).map((f) => relative(process.cwd(), f)).join(', ')}`);
}
