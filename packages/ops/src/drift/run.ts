import { readFileSync } from 'node:fs';
import type { PlanNames } from '@harbor-platform/config';
import { AssemblyError } from '../errors.js';
import { environmentStacks, type StackTarget } from './assembly.js';
import type { KubectlDiffResult } from './kubectl-diff.js';
import { judgeDrift, type DriftFindings, type DriftVerdict, type GithubSettingsCheck, type HarborGcCheck, type TemplateCheck } from './report.js';
import { diffTemplates } from './template-diff.js';
import type { StackInspector } from '../aws/cloudformation.js';

export interface DriftCheckProps {
  readonly environment: string;
  /**
   * The environment's stacks, by name (`plan.names.stacks`).
   */
  readonly stacks: PlanNames['stacks'];
  /** The synthesized cloud assembly (apps/platform/cdk.out). */
  readonly assemblyDir: string;
  /** The environment's account and region (its stacks deploy there). */
  readonly target: StackTarget;
  readonly inspector: StackInspector;
  /** Runs `kubectl diff` of the environment's synthesized manifests. */
  readonly diffManifests: () => Promise<KubectlDiffResult>;
  /** Compares the repository's GitHub settings with the plan. @default not checked */
  readonly checkGithub?: () => Promise<GithubSettingsCheck>;
  /** Compares Harbor's garbage-collection schedule with the config. @default not checked */
  readonly checkHarborGc?: () => Promise<HarborGcCheck>;
  readonly progress?: (line: string) => void;
}

/** Runs every drift check of one environment and judges them; never throws for a failed check. */
export async function checkDrift(p: DriftCheckProps): Promise<{ findings: DriftFindings; verdict: DriftVerdict }> {
  const stacks = environmentStacks(p.assemblyDir, Object.values(p.stacks), p.target);
  if (stacks.length === 0) throw new AssemblyError(`the cloud assembly at ${p.assemblyDir} has no stack of ${p.environment} (aws://${p.target.account}/${p.target.region})`);
  const stackResults = [];
  const templates: TemplateCheck[] = [];
  for (const s of stacks) {
    p.progress?.(`${s.stackName}: CloudFormation drift detection`);
    stackResults.push(await p.inspector.detectDrift(s.stackName));
    templates.push(await compareTemplate(p.inspector, s.stackName, s.templateFile));
  }
  p.progress?.('kubectl diff of the synthesized manifests');
  const manifests = await p.diffManifests();
  const github = p.checkGithub && (p.progress?.('GitHub settings'), await p.checkGithub());
  const harborGc = p.checkHarborGc && (p.progress?.("Harbor's GC schedule"), await p.checkHarborGc());
  const findings: DriftFindings = {
    environment: p.environment,
    stacks: stackResults,
    templates,
    manifests,
    ...(github && { github }),
    ...(harborGc && { harborGc }),
  };
  return { findings, verdict: judgeDrift(findings) };
}

async function compareTemplate(inspector: StackInspector, stack: string, file: string): Promise<TemplateCheck> {
  try {
    const deployed = await inspector.deployedTemplate(stack);
    if (deployed === undefined) return { stack, outcome: 'not-deployed' };
    return { stack, outcome: 'compared', diff: diffTemplates(readFileSync(file, 'utf8'), deployed) };
  } catch (err) {
    return { stack, outcome: 'failed', reason: (err as Error).message };
  }
}
