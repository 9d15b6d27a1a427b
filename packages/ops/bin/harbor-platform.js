#!/usr/bin/env node
// Launcher kept in git so npm can link the bin before anything is built. It runs the newer
// of the two builds: bundle/cli.mjs (esbuild, made by `npm ci` through the root's `prepare`
// script) or lib/cli.js (tsc, `npm run build`). Without either, one line says what to run.
import { statSync } from 'node:fs';

const PROG = 'harbor-platform';
const builds = ['../bundle/cli.mjs', '../lib/cli.js']
  .map((rel) => ({ url: new URL(rel, import.meta.url), mtime: modified(new URL(rel, import.meta.url)) }))
  .filter((b) => b.mtime !== undefined)
  .sort((a, b) => b.mtime - a.mtime);

function modified(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

if (builds.length === 0) {
  console.error(`${PROG}: the CLI is not built yet: run "npm run bundle" (or "npm ci", which runs it) in the repository root`);
  process.exitCode = 1;
} else {
  try {
    const cli = await import(builds[0].url.href);
    // Each command loads its module when it runs, so a missing one can also surface from main.
    process.exitCode = await cli.main(process.argv.slice(2));
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || process.env.HARBOR_PLATFORM_DEBUG) throw err;
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(err.message)?.[1] ?? err.message;
    // A workspace's own build output (lib/) comes from a build; anything else from the install.
    const fix = /(@harbor-platform|[\\/]packages|[\\/]apps)[\\/][^\\/]+[\\/]lib[\\/]/.test(missing) ? 'npm run build' : 'npm ci';
    console.error(`${PROG}: ${missing} is missing: run "${fix}" in the repository root`);
    process.exitCode = 1;
  }
}
