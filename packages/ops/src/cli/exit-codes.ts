/**
 * The exit statuses every `harbor-platform` command keeps to, as `--help` and the README list
 * them (a test compares the README's table with this one).
 */
export const EXIT_CODES: readonly { readonly code: number; readonly meaning: string }[] = [
  { code: 0, meaning: 'success (valid, in sync, as configured, verified)' },
  { code: 1, meaning: 'failure, or a difference found (--check, drift), one clear line per problem on stderr, never a stack trace' },
  { code: 2, meaning: 'usage error: an unknown command or option, a bad or missing option value' },
  { code: 3, meaning: 'a check could not run (drift, github-setup, preflight): not a difference' },
];
