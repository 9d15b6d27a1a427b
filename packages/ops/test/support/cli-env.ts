import { main } from '../../src/cli.js';

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs the CLI's entry in this process with `env` over the test's environment: the variables
 * whose names `clear` matches are removed first (so a developer's own credentials never answer),
 * an `undefined` value removes that variable, and the environment is restored afterwards.
 */
export async function runCliWithEnv(args: string[], env: Record<string, string | undefined> = {}, clear: RegExp = /^HARBOR_PLATFORM_/): Promise<CliRun> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (clear.test(key)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
