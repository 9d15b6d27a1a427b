import { finding, type Finding, type PreflightCheck, type PreflightContext } from './check.js';

/** Exit statuses: 0 every prerequisite is there, 1 something is missing, 3 a check could not run (and nothing was found missing). */
export const PREFLIGHT_EXIT = { ready: 0, missing: 1, unchecked: 3 } as const;

/**
 * Runs `checks` against `ctx` and returns their findings in the checks' order. The first
 * check (the AWS account) runs alone: when it does not pass, the other AWS checks would only
 * read the wrong account or fail the same way, so they are left out and one line says so.
 * The rest run at once (each makes a few read calls). A check that throws yields one
 * `unchecked` line, never a stack trace.
 */
export async function runPreflight(ctx: PreflightContext, checks: readonly PreflightCheck[], progress?: (line: string) => void): Promise<Finding[]> {
  const [gate, ...rest] = checks;
  if (!gate) return [];
  const guarded = (c: PreflightCheck) => c.run(ctx).catch((err: unknown) => [finding(c.name, 'unchecked', `could not run: ${(err as Error)?.message ?? String(err)}`)]);
  progress?.(`preflight ${ctx.config.name}: ${gate.name}`);
  const first = await guarded(gate);
  const awsReady = gate.needs !== 'aws' || first.every((f) => f.status === 'ok');
  const runnable = rest.filter((c) => awsReady || c.needs !== 'aws');
  const left = rest.filter((c) => !runnable.includes(c)).map((c) => c.name);
  let done = 0;
  const results = await Promise.all(runnable.map(async (c) => {
    const r = await guarded(c);
    progress?.(`preflight ${ctx.config.name}: ${++done}/${runnable.length} checks done (${c.name})`);
    return r;
  }));
  const notRun = left.length ? [finding(gate.name, 'unchecked', `not run until the account check passes: ${left.join(', ')}`)] : [];
  return [...first, ...notRun, ...results.flat()];
}

/** 1 when anything is missing (a definite answer wins over a check that could not run), else 3 when a check could not run, else 0. */
export function preflightExit(findings: readonly Finding[]): number {
  if (findings.some((f) => f.status === 'missing')) return PREFLIGHT_EXIT.missing;
  if (findings.some((f) => f.status === 'unchecked')) return PREFLIGHT_EXIT.unchecked;
  return PREFLIGHT_EXIT.ready;
}
