/**
 * vitest globalSetup of the integration project: starts the local stack once before the
 * integration files run, and stops it afterwards only when this run started it (a stack that
 * was already up, e.g. from `scripts/local-stack/up` by hand, is left running).
 * LOCAL_STACK_KEEP=1 keeps a stack this run started.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { STACK_ENV_FILE, STACK_SCRIPTS } from './local-stack.js';

const run = promisify(execFile);

async function stackRunning(): Promise<boolean> {
  if (!existsSync(STACK_ENV_FILE)) return false;
  const { stdout } = await run(join(STACK_SCRIPTS, 'ctl'), ['status']);
  return !/ stopped$/m.test(stdout);
}

export default async function setup(): Promise<() => Promise<void>> {
  const wasRunning = await stackRunning().catch(() => false);
  const started = Date.now();
  await run(join(STACK_SCRIPTS, 'up'), ['--quiet'], { timeout: 600_000 }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`the local stack did not come up: ${err.stderr?.trim().split('\n').slice(-8).join('\n') ?? err.message}`);
  });
  process.stderr.write(`local stack ${wasRunning ? 'already up' : `up in ${Math.round((Date.now() - started) / 1000)}s`} (${STACK_ENV_FILE})\n`);
  return async () => {
    if (wasRunning || process.env.LOCAL_STACK_KEEP === '1') return;
    await run(join(STACK_SCRIPTS, 'down'), [], { timeout: 180_000 });
    process.stderr.write('local stack stopped (this run had started it)\n');
  };
}
