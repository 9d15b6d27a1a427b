import { ENVIRONMENT_OPTIONS } from '../cli/environment.js';

/** Exit statuses: 0 matches the plan (or was made to), 1 differs (with --check), 3 needs a human or failed. */
export const GITHUB_SETUP_EXIT = { ok: 0, differs: 1, error: 3 } as const;

/** The option groups of `github-setup` (its declaration is in github-setup.ts; github-setup-run.ts reads the values). */
export const GITHUB_SETUP_GROUPS = [ENVIRONMENT_OPTIONS] as const;

/** The options of `github-setup` beside its groups. */
export const GITHUB_SETUP_OPTIONS = {
  check: { type: 'boolean', description: 'compare only, change nothing (exit 1 when something differs)' },
} as const;
