import type { EnvironmentConfig, EnvironmentPlan } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { App, Aspects, CfnElement, Stack } from 'aws-cdk-lib/core';
import { CURRENTLY_RECOMMENDED_FLAGS, DISABLE_ASSET_STAGING_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { standInManifests } from './manifest-stand-ins.js';
import { GithubDeployStack, HarborPlatformStack, PlatformCluster, PlatformNetwork } from '../src/index.js';


/** Time for a hook that synthesizes whole stacks (a 2-core machine synthesizes one in a few seconds). */
export const SYNTH_TIMEOUT = 120_000;

/** A committed environment, validated and planned (the shared test kit's loader). */
export const environment = (name: 'dev' | 'prod') => plannedEnvironment(name);

/** An app as the platform builds it (recommended flags), without copying assets (tests read templates only). */
export function testApp(): App {
  return new App({ context: { ...CURRENTLY_RECOMMENDED_FLAGS, [DISABLE_ASSET_STAGING_CONTEXT]: true } });
}

/** A bare stack in the dev environment's account, region and zones. */
export function testStack(app = testApp()): Stack {
  const { config } = environment('dev');
  const zones = config.aws.availabilityZones;
  return new (class extends Stack {
    override get availabilityZones() {
      return zones;
    }
  })(app, 'Test', { env: { account: config.aws.account, region: config.aws.region } });
}

/** A network and cluster in a bare stack, for constructs that need a cluster. */
export function testCluster(stack = testStack()): { stack: Stack; network: PlatformNetwork; cluster: PlatformCluster } {
  const { config, plan } = environment('dev');
  const network = new PlatformNetwork(stack, 'Network', { availabilityZones: config.aws.availabilityZones, vpcCidr: config.network.vpcCidr, natGateways: 1 });
  const cluster = new PlatformCluster(stack, 'Cluster', { network, kubernetesVersion: config.cluster.kubernetesVersion, nodeGroups: plan.nodeGroups });
  return { stack, network, cluster };
}

export interface SynthesizedEnvironment {
  readonly config: EnvironmentConfig;
  readonly plan: EnvironmentPlan;
  readonly platform: HarborPlatformStack;
  readonly github: GithubDeployStack;
  readonly template: Template;
  readonly githubTemplate: Template;
}

const synthesized = new Map<string, SynthesizedEnvironment>();

/**
 * One environment's two stacks with cdk-nag applied, synthesized once per
 * worker (vitest.config.ts shares modules between files): tests only read them.
 * The Kubernetes manifests are stand-ins (manifest-stand-ins.ts): the composition
 * with the real charts is apps/platform's, and tested there.
 */
export function synthesizeEnvironment(name: 'dev' | 'prod'): SynthesizedEnvironment {
  const cached = synthesized.get(name);
  if (cached) return cached;
  const result = synthesizeFresh(name);
  synthesized.set(name, result);
  return result;
}

function synthesizeFresh(name: 'dev' | 'prod'): SynthesizedEnvironment {
  const { config, plan } = environment(name);
  const app = testApp();
  const github = new GithubDeployStack(app, plan.names.stacks.github, { plan });
  const platform = new HarborPlatformStack(app, plan.names.stacks.platform, { config, plan, manifests: standInManifests(plan) });
  Aspects.of(app).add(new AwsSolutionsChecks());
  return { config, plan, platform, github, template: Template.fromStack(platform), githubTemplate: Template.fromStack(github) };
}

/** cdk-nag findings (errors and warnings) left unsuppressed on a stack, as "rule at path" lines. */
export function nagFindings(stack: Stack): string[] {
  const a = Annotations.fromStack(stack);
  const rule = Match.stringLikeRegexp('^AwsSolutions-');
  return [...a.findError('*', rule), ...a.findWarning('*', rule)].map((m) => `${String(m.entry.data).split(':')[0]} at ${m.id}`);
}

/** Resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, any>; DependsOn?: string[] }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
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

/** The logical id `{ Ref: id }` or `{ Fn::GetAtt: [id, ...] }` points at. */
export function refId(value: any): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

/**
 * An imported cluster with an imported kubectl provider in a bare stack: the smallest
 * `eks.ICluster` a construct can apply manifests to, without a network or node groups.
 */
export function importedCluster(stack = testStack()): { stack: Stack; cluster: eks.ICluster } {
  const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', {
    serviceToken: `arn:aws:lambda:${stack.region}:${stack.account}:function:kubectl-provider`,
  });
  return { stack, cluster: eks.Cluster.fromClusterAttributes(stack, 'ImportedCluster', { clusterName: 'test-cluster', kubectlProvider }) };
}

/** The logical id of a construct's CloudFormation resource (following default children down to it). */
export function logicalId(stack: Stack, c: IConstruct): string {
  let at: IConstruct | undefined = c;
  while (at && !CfnElement.isCfnElement(at)) at = at.node.defaultChild;
  if (!at) throw new Error(`${c.node.path} has no CloudFormation resource`);
  return stack.getLogicalId(at as CfnElement);
}
