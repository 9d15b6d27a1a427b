import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig, EnvironmentPlan } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../src/app.js';

/** Time for a hook that synthesizes a whole environment (seconds on a 2-core machine, more while it is busy). */
export const SYNTH_TIMEOUT = 240_000;

/** One committed environment as the app composes it (infra's stacks with packages/manifests' charts). */
export interface SynthesizedEnvironment {
  readonly config: EnvironmentConfig;
  readonly plan: EnvironmentPlan;
  /** The platform stack's template. */
  readonly template: Template;
}

const synthesized = new Map<string, SynthesizedEnvironment>();

/** A committed environment's platform stack, built by buildApp, synthesized once per test file. */
export function synthesizeEnvironment(name: 'dev' | 'prod'): SynthesizedEnvironment {
  const cached = synthesized.get(name);
  if (cached) return cached;
  const { config, plan } = plannedEnvironment(name);
  const { stacks } = buildApp([{ config, plan }], { outdir: mkdtempSync(join(tmpdir(), 'platform-composed-')) });
  const result = { config, plan, template: Template.fromStack(stacks.get(config.name)!.platform) };
  synthesized.set(name, result);
  return result;
}

/** Resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, any>; DependsOn?: string[] }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any>; DependsOn?: string[] }>;
}

/**
 * The Kubernetes manifests a template applies (`Custom::AWSCDK-EKS-KubernetesResource`): logical id,
 * objects and dependencies. A manifest with deploy-time values is an Fn::Join of JSON text and
 * references; each reference reads as the string "REF".
 */
export function appliedManifests(template: Template): { id: string; objects: any[]; dependsOn: string[] }[] {
  return Object.entries(resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')).map(([id, r]) => {
    const m = r.Properties.Manifest;
    const text = typeof m === 'string' ? m : m['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'REF')).join('');
    return { id, objects: JSON.parse(text) as any[], dependsOn: r.DependsOn ?? [] };
  });
}

/** Helm releases of an environment's template by release name, with their logical ids and dependencies. */
export function releases(env: SynthesizedEnvironment) {
  return new Map(
    Object.entries(resourcesOf(env.template, 'Custom::AWSCDK-EKS-HelmChart')).map(([id, r]) => [r.Properties.Release as string, { id, props: r.Properties, dependsOn: r.DependsOn ?? [] }]),
  );
}
