import { ENVIRONMENT_OPTIONS } from '../cli/environment.js';
import { reportOptions } from '../cli/report-args.js';

/** Exit statuses of `drift`: 0 no drift, 1 drift found, 3 a check could not run (not drift). */
export const DRIFT_EXIT = { inSync: 0, drift: 1, error: 3 } as const;

/** The option groups of `drift` (its declaration is in drift.ts; drift-run.ts reads the values). */
export const DRIFT_GROUPS = [ENVIRONMENT_OPTIONS, reportOptions("open, update or close the environment's drift issue (needs GITHUB_TOKEN or GH_TOKEN)")] as const;

/** The options of `drift` beside its groups. */
export const DRIFT_OPTIONS = {
  assembly: { type: 'string', placeholder: '<dir>', description: 'cloud assembly', defaultText: 'apps/platform/cdk.out' },
  manifests: { type: 'string', placeholder: '<dir>', description: 'manifests', defaultText: 'apps/platform/dist/<env>/manifests' },
} as const;
