import type { EnvironmentConfig, EnvironmentPlan } from '@harbor-platform/config';
import { GithubDeployStack, HarborPlatformStack } from '@harbor-platform/infra';
import { App, Aspects } from 'aws-cdk-lib/core';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CURRENTLY_RECOMMENDED_FLAGS, DISABLE_CREATION_STACK_TRACES, DISABLE_METADATA_STACK_TRACE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { platformManifests } from './platform-manifests.js';

/** One validated environment and its plan (computed once per synth, by the caller). */
export interface PlannedEnvironment {
  readonly config: EnvironmentConfig;
  readonly plan: EnvironmentPlan;
}

/** The stacks of one environment. */
export interface EnvironmentStacks {
  readonly platform: HarborPlatformStack;
  readonly github: GithubDeployStack;
}

export interface BuildOptions {
  /**
   * Where the cloud assembly goes.
   * @default - CDK_OUTDIR, which the `cdk` CLI sets
   */
  readonly outdir?: string;
  /**
   * Run aws-cdk-lib's built-in CloudFormation template rules during synthesis.
   * They run in the tests (packages/infra test/template-validation.test.ts, on
   * every build), so the synthesis that produces the deploy artifact skips them.
   * @default false
   */
  readonly validateTemplates?: boolean;
  /**
   * Record where each construct and CloudFormation element was created (a stack
   * trace each) in the assembly's metadata. The `cdk` CLI leaves them out unless
   * run with `--debug` (which turns them back on whatever this says); capturing
   * them cost about a tenth of the synthesis in the profile.
   * @default false
   * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.cx_api-README.html
   */
  readonly stackTraces?: boolean;
}

/**
 * The CDK app: for every environment, its GitHub deploy-role stack and its
 * platform stack (named by `plan.names.stacks`), with cdk-nag's AWS Solutions
 * checks on everything (an unsuppressed finding fails synthesis). The app
 * composes: it hands the platform stack the cdk8s charts of packages/manifests
 * (platformManifests). No context lookups: accounts, regions and AZs all come
 * from the plan, so synthesis needs no AWS access.
 */
export function buildApp(
  environments: readonly PlannedEnvironment[],
  options: BuildOptions = {},
): { app: App; stacks: Map<string, EnvironmentStacks> } {
  // The flags `cdk init` writes today, so both entry points (synth.ts and cdk.json) synthesize the same thing.
  const app = new App({
    outdir: options.outdir,
    context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...stackTraceContext(options.stackTraces ?? false) },
    builtinCloudFormationValidation: options.validateTemplates ?? false,
  });
  const stacks = new Map<string, EnvironmentStacks>();
  for (const { config, plan } of environments) {
    const { stacks: names } = plan.names;
    const github = new GithubDeployStack(app, names.github, { plan });
    const platform = new HarborPlatformStack(app, names.platform, { config, plan, manifests: platformManifests(config, plan) });
    // Order only, no reference: the platform's access entries name the GitHub roles, which must exist first.
    platform.addStackDependency(github, 'access entries of the GitHub workflow roles');
    stacks.set(config.name, { platform, github });
  }
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stacks };
}

/** The context keys that turn aws-cdk-lib's stack traces in metadata on or off. */
function stackTraceContext(on: boolean): Record<string, boolean> {
  return { [DISABLE_METADATA_STACK_TRACE]: !on, [DISABLE_CREATION_STACK_TRACES]: !on };
}

/** Builds and synthesizes the app into `outdir`. Throws when a check fails. */
export function synthesizeApp(environments: readonly PlannedEnvironment[], outdir: string): CloudAssembly {
  return buildApp(environments, { outdir }).app.synth();
}
