#!/usr/bin/env node
// Runs a CommonJS bundle (scripts/bundle.mjs --cjs) with V8's code cache kept beside it,
// as Node 22's module.enableCompileCache() does for every module: the first run compiles
// and saves the cache at exit, later runs skip parsing and compiling the bundle.
//
//   node scripts/run-cached.cjs <bundle.cjs> [args...]
//
// The cache file is named for the bundle's size and modification time, Node's version and
// architecture and its flags, so a rebuilt bundle or another Node never uses a stale one.
// esbuild writes ASCII only (its default charset), so the text is read as latin1: the same
// characters without a UTF-8 decode of tens of megabytes.
// @see https://nodejs.org/api/vm.html#scriptcreatecacheddata
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = process.argv[2] && path.resolve(process.argv[2]);
if (!file || !fs.existsSync(file)) {
  console.error(`run-cached: ${process.argv[2] ?? '(no bundle given)'}: not found: build it first (npm run bundle)`);
  process.exit(2);
}
// The bundle sees itself as the script Node was started with.
process.argv.splice(1, 2, file);

const stat = fs.statSync(file);
const cacheDir = path.join(path.dirname(file), '.v8-cache');
// V8 refuses a cache made under other flags (--cpu-prof, --max-old-space-size...): one file per set of flags.
const flags = require('node:crypto').createHash('sha256').update(`${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`).digest('hex').slice(0, 12);
const bundleKey = `${path.basename(file)}-${stat.size}-${Math.trunc(stat.mtimeMs)}-`;
const cacheFile = path.join(cacheDir, `${bundleKey}${process.version}-${process.arch}-${flags}.bin`);
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData });
if (!cachedData || script.cachedDataRejected) {
  // At exit the cache also holds every function the run compiled lazily.
  process.once('exit', () => {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Caches of an earlier build of this bundle are of no use any more.
      for (const name of fs.readdirSync(cacheDir)) {
        if (name.startsWith(`${path.basename(file)}-`) && !name.startsWith(bundleKey)) fs.rmSync(path.join(cacheDir, name), { force: true });
      }
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A read-only checkout only loses the speed-up.
    }
  });
}

const mod = new Module(file, null);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
process.mainModule = mod;
script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
