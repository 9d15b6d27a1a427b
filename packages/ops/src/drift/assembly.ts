import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssemblyError } from '../errors.js';

/** One CloudFormation stack of the synthesized cloud assembly. */
export interface AssemblyStack {
  /** Hierarchical id, such as `dev/HarborPlatform` (what `cdk deploy 'dev/*'` matches). */
  readonly displayName: string;
  /** The deployed stack name. */
  readonly stackName: string;
  /** Absolute path of the synthesized template. */
  readonly templateFile: string;
  /** `aws://<account>/<region>` it deploys to. */
  readonly environment?: string;
}

interface ManifestArtifact {
  type: string;
  displayName?: string;
  /** `aws://<account>/<region>` */
  environment?: string;
  properties?: { stackName?: string; templateFile?: string; directoryName?: string };
}

/** Where an environment's stacks deploy (the config's `aws.account` and `aws.region`). */
export interface StackTarget {
  readonly account: string;
  readonly region: string;
}

/**
 * The stacks of one environment in a cloud assembly (`cdk.out`), nested assemblies (stages)
 * included: those named exactly as the plan names them (`plan.names.stacks`) and deployed to the
 * environment's account and region. Names come from the plan, never from a pattern on the
 * environment's name.
 * @param stackNames the environment's stack names (`Object.values(plan.names.stacks)`)
 * @returns them sorted by their hierarchical id; empty when none was synthesized there
 * @throws when `assemblyDir` holds no manifest.json
 */
export function environmentStacks(assemblyDir: string, stackNames: readonly string[], target: StackTarget): AssemblyStack[] {
  const manifestFile = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new AssemblyError(`no cloud assembly at ${assemblyDir} (manifest.json missing): run "npm run synth" first`);
  const wanted = new Set(stackNames);
  const stacks = collect(assemblyDir).filter((s) => s.environment === `aws://${target.account}/${target.region}` && wanted.has(s.stackName));
  return stacks.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

function collect(dir: string): AssemblyStack[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, a]): AssemblyStack[] => {
    if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
      const templateFile = join(dir, a.properties.templateFile);
      return [{ displayName: a.displayName ?? id, stackName: a.properties.stackName ?? id, templateFile, environment: a.environment }];
    }
    if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName) return collect(join(dir, a.properties.directoryName));
    return [];
  });
}
