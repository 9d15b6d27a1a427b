/**
 * vitest globalSetup of the integration project: brings the local stack up before the
 * integration files run, and down afterwards only when test runs started it and no other
 * test run still uses it. A stack started by hand (`scripts/local-stack/up`) is left running,
 * and so is any stack when LOCAL_STACK_KEEP=1.
 *
 * Each run holds a lease (a file named by its pid) while it runs; the stack carries a marker
 * when a test run started it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { STACK_DIR, STACK_ENV_FILE, STACK_SCRIPTS } from './local-stack.js';

const run = promisify(execFile);
const LEASES = join(STACK_DIR, 'test-leases');
const STARTED_BY_TESTS = join(STACK_DIR, 'started-by-tests');

async function stackRunning(): Promise<boolean> {
  if (!existsSync(STACK_ENV_FILE)) return false;
  const { stdout } = await run(join(STACK_SCRIPTS, 'ctl'), ['status']);
  return !/ stopped$/m.test(stdout);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Leases of other test runs whose process still lives. */
function otherLiveLeases(): number[] {
  if (!existsSync(LEASES)) return [];
  return readdirSync(LEASES).map(Number).filter((pid) => pid !== process.pid && alive(pid));
}

export default async function setup(): Promise<() => Promise<void>> {
  const wasRunning = await stackRunning().catch(() => false);
  const started = Date.now();
  await run(join(STACK_SCRIPTS, 'up'), ['--quiet'], { timeout: 600_000 }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`the local stack did not come up: ${err.stderr?.trim().split('\n').slice(-8).join('\n') ?? err.message}`);
  });
  mkdirSync(LEASES, { recursive: true });
  writeFileSync(join(LEASES, String(process.pid)), '');
  if (!wasRunning) writeFileSync(STARTED_BY_TESTS, '');
  process.stderr.write(`local stack ${wasRunning ? 'already up' : `up in ${Math.round((Date.now() - started) / 1000)}s`} (${STACK_ENV_FILE})\n`);

  return async () => {
    rmSync(join(LEASES, String(process.pid)), { force: true });
    if (process.env.LOCAL_STACK_KEEP === '1' || !existsSync(STARTED_BY_TESTS) || otherLiveLeases().length) return;
    await run(join(STACK_SCRIPTS, 'down'), [], { timeout: 180_000 });
    process.stderr.write('local stack stopped (a test run had started it)\n');
  };
}
