import { ENVIRONMENT_OPTIONS } from '../cli/environment.js';
import { reportOptions } from '../cli/report-args.js';

/** The option groups of `drill` (its declaration is in drill.ts; drill-run.ts reads the values). */
export const DRILL_GROUPS = [ENVIRONMENT_OPTIONS, reportOptions("open, update or close the environment's drill issue (needs GITHUB_TOKEN or GH_TOKEN)")] as const;

/** The options of `drill` beside its groups. */
export const DRILL_OPTIONS = {
  'cleanup-only': { type: 'boolean', description: 'only delete drill namespaces, volumes and the modifier ConfigMap' },
} as const;
