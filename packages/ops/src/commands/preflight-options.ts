import { ENVIRONMENT_OPTIONS } from '../cli/environment.js';

/** The option groups of `preflight` (its declaration is in preflight.ts; preflight-run.ts reads the values). */
export const PREFLIGHT_GROUPS = [ENVIRONMENT_OPTIONS] as const;

/** The options of `preflight` beside its groups. */
export const PREFLIGHT_OPTIONS = {
  assembly: { type: 'string', placeholder: '<dir>', description: 'cloud assembly', defaultText: 'apps/platform/cdk.out' },
  json: { type: 'boolean', description: 'the findings as one JSON document' },
} as const;
