import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssemblyError } from '../errors.js';

/**
 * What an environment's synthesized stacks need of the account's CDK bootstrap, as the
 * installed aws-cdk-lib wrote it into the cloud assembly: the least bootstrap stack version
 * (of the deploy, asset-publishing and lookup roles) and the SSM parameter that holds the
 * deployed version (`/cdk-bootstrap/<qualifier>/version`), which each template's
 * CheckBootstrapVersion rule reads.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 * @see https://github.com/aws/aws-cdk/blob/main/packages/%40aws-cdk/cloud-assembly-schema/lib/manifest.ts
 */
export interface BootstrapRequirement {
  /** The highest `requiresBootstrapStackVersion` of the stacks, their asset manifests and lookup roles. */
  readonly minVersion: number;
  /** Such as `/cdk-bootstrap/hnb659fds/version`. */
  readonly versionParameter: string;
  /** The qualifier in that parameter's name (`hnb659fds` is CDK's default). */
  readonly qualifier: string;
  /** The stacks read. */
  readonly stacks: string[];
}

interface ArtifactProperties {
  stackName?: string;
  directoryName?: string;
  requiresBootstrapStackVersion?: number;
  bootstrapStackVersionSsmParameter?: string;
  lookupRole?: { requiresBootstrapStackVersion?: number; bootstrapStackVersionSsmParameter?: string };
}

interface Artifact {
  type: string;
  properties?: ArtifactProperties;
  dependencies?: string[];
}

/** The requirement of the stacks named `stackNames` in the assembly at `assemblyDir` (nested assemblies included). */
export function bootstrapRequirement(assemblyDir: string, stackNames: readonly string[]): BootstrapRequirement {
  if (!existsSync(join(assemblyDir, 'manifest.json'))) throw new AssemblyError(`no cloud assembly at ${assemblyDir}: run "npm run synth" first (or pass --assembly <dir>)`);
  const wanted = new Set(stackNames);
  const versions: number[] = [];
  const parameters = new Set<string>();
  const found: string[] = [];
  const note = (p?: { requiresBootstrapStackVersion?: number; bootstrapStackVersionSsmParameter?: string }) => {
    if (p?.requiresBootstrapStackVersion !== undefined) versions.push(p.requiresBootstrapStackVersion);
    if (p?.bootstrapStackVersionSsmParameter) parameters.add(p.bootstrapStackVersionSsmParameter);
  };
  const visit = (dir: string) => {
    const artifacts = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, Artifact> }).artifacts ?? {};
    for (const [id, a] of Object.entries(artifacts)) {
      if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName) visit(join(dir, a.properties.directoryName));
      if (a.type !== 'aws:cloudformation:stack' || !wanted.has(a.properties?.stackName ?? id)) continue;
      found.push(a.properties?.stackName ?? id);
      note(a.properties);
      note(a.properties?.lookupRole);
      // The stack's asset manifest: publishing its assets assumes the bootstrap's publishing roles.
      for (const dep of a.dependencies ?? []) if (artifacts[dep]?.type === 'cdk:asset-manifest') note(artifacts[dep].properties);
    }
  };
  visit(assemblyDir);
  const missing = stackNames.filter((n) => !found.includes(n));
  if (missing.length) throw new AssemblyError(`the cloud assembly at ${assemblyDir} has no stack ${missing.join(', ')}: run "npm run synth" again`);
  if (!versions.length || parameters.size !== 1) {
    throw new AssemblyError(`the stacks ${found.join(', ')} name ${parameters.size || 'no'} bootstrap version parameter(s): preflight knows the default synthesizer's, one per environment`);
  }
  const versionParameter = [...parameters][0]!;
  const qualifier = /^\/cdk-bootstrap\/([^/]+)\/version$/.exec(versionParameter)?.[1] ?? versionParameter;
  return { minVersion: Math.max(...versions), versionParameter, qualifier, stacks: found.sort() };
}
