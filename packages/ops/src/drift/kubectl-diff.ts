import { $ } from 'zx';

/** `kubectl diff` as the drift check reads it. */
export type KubectlDiffResult =
  | { readonly outcome: 'in-sync' }
  | { readonly outcome: 'drifted'; readonly diff: string }
  /** kubectl exited above 1: it could not compare, which is not drift. */
  | { readonly outcome: 'failed'; readonly exitCode: number; readonly reason: string };

export interface KubectlDiffOptions {
  /** Manifests to compare (a file or a folder, read recursively). */
  readonly path: string;
  /** The kubectl executable. @default $HARBOR_PLATFORM_KUBECTL or `kubectl` on PATH */
  readonly kubectl?: string;
  /** Upper bound. @default 300_000 (5 minutes) */
  readonly timeoutMs?: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Maps kubectl's documented exit codes: 0 no differences, 1 differences, above 1 an
 * error (kubectl or the diff program failed). A timeout or a missing binary is an error too.
 */
export function interpretKubectlDiff(exitCode: number | null, stdout: string, stderr: string): KubectlDiffResult {
  if (exitCode === 0) return { outcome: 'in-sync' };
  if (exitCode === 1) return { outcome: 'drifted', diff: stdout };
  const reason = (stderr.trim().split('\n').pop() || stdout.trim().split('\n').pop() || 'no output').slice(0, 500);
  return { outcome: 'failed', exitCode: exitCode ?? -1, reason: exitCode === null ? `kubectl did not finish: ${reason}` : reason };
}

export async function kubectlDiff(options: KubectlDiffOptions): Promise<KubectlDiffResult> {
  const env = options.env ?? process.env;
  const kubectl = options.kubectl ?? env.HARBOR_PLATFORM_KUBECTL ?? 'kubectl';
  const run = await $({ nothrow: true, quiet: true, timeout: options.timeoutMs ?? 300_000, env })`${kubectl} diff --recursive -f ${options.path}`;
  return interpretKubectlDiff(run.exitCode, run.stdout, run.stderr);
}
