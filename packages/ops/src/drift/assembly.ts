import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One CloudFormation stack of the synthesized cloud assembly. */
export interface AssemblyStack {
  /** Hierarchical id, such as `dev/HarborPlatform` (what `cdk deploy 'dev/*'` matches). */
  readonly displayName: string;
  /** The deployed stack name. */
  readonly stackName: string;
  /** Absolute path of the synthesized template. */
  readonly templateFile: string;
}

interface ManifestArtifact {
  type: string;
  displayName?: string;
  properties?: { stackName?: string; templateFile?: string; directoryName?: string };
}

/**
 * The stacks of one environment in a cloud assembly (`cdk.out`): those whose
 * display name starts with `<env>/`, including stacks inside nested assemblies (stages).
 */
export function environmentStacks(assemblyDir: string, environment: string): AssemblyStack[] {
  const manifestFile = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`no cloud assembly at ${assemblyDir} (manifest.json missing): run "npm run synth" first`);
  const stacks = collect(assemblyDir).filter((s) => s.displayName.startsWith(`${environment}/`));
  return stacks.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

function collect(dir: string): AssemblyStack[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, a]): AssemblyStack[] => {
    if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
      return [{ displayName: a.displayName ?? id, stackName: a.properties.stackName ?? id, templateFile: join(dir, a.properties.templateFile) }];
    }
    if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName) return collect(join(dir, a.properties.directoryName));
    return [];
  });
}
