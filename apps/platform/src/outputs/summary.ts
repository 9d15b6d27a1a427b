import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { planPhrases, type EnvironmentPlan } from '@harbor-platform/config';
import { planMarkdownFile } from './plan.js';

/** What synthesis wrote for one environment. */
export interface EnvironmentOutputs {
  readonly plan: EnvironmentPlan;
  /** apps/platform/dist/: the plan's `names.outputs` are relative to it. */
  readonly dist: string;
  /** Files of the manifests folder (`plan.names.outputs.manifests`), in apply order. */
  readonly manifests: string[];
}

/** The closing report of `npm run synth`, for people (summary.txt) and machines (summary.json). */
export interface SynthSummary {
  readonly environments: EnvironmentOutputs[];
  /** The CDK assembly folder. */
  readonly cdkOut: string;
  readonly stacks: string[];
}

const plain = (s: string) => s;

/**
 * Per environment, the plan's headline in plan.md's own phrases (AWS account and region,
 * node groups, MinIO totals and the AZ-loss verdict against its goal, Harbor URL), its
 * warnings and where its outputs are; then the CDK assembly. Paths are relative to `root`.
 */
export function formatSummary(s: SynthSummary, root: string): string {
  const rel = (p: string) => relative(root, p) || '.';
  const lines: string[] = [];
  for (const { plan: p, dist, manifests } of s.environments) {
    lines.push(
      `${planPhrases.title(p)}: ${planPhrases.aws(p)}`,
      `  Node groups: ${p.nodeGroups.map(planPhrases.nodeGroup).join('; ')}`,
      `  MinIO: ${planPhrases.minioSize(p)}; ${planPhrases.zoneLoss(p)}. ${planPhrases.zoneLossGoal(p, plain)}`,
      `  ${planPhrases.harbor(p)}`,
      ...p.warnings.map((w) => `  Warning: ${planPhrases.warning(w)}`),
      `  Outputs: ${rel(join(dist, planMarkdownFile(p)))}, plan.json, manifests/ (${manifests.length} files), values/harbor.yaml, values/velero.yaml, values/external-dns.yaml`,
    );
  }
  lines.push(`CDK assembly: ${rel(s.cdkOut)} (${s.stacks.join(', ')})`);
  return lines.join('\n') + '\n';
}

/** The same facts as JSON, with the output paths. */
export function summaryJson(s: SynthSummary, root: string) {
  return {
    environments: s.environments.map(({ plan: p, dist, manifests }) => ({
      environment: p.environment,
      stage: p.stage,
      aws: p.aws,
      nodeGroups: p.nodeGroups.map(({ name, availabilityZone, instanceTypes, min, desired, max }) => ({
        name, availabilityZone, instanceTypes, min, desired, max,
      })),
      minio: {
        totals: p.minio.totals,
        tolerateZoneLoss: p.minio.tolerateZoneLoss,
        survivesZoneLossForRead: p.minio.pools.every((x) => x.survivesZoneLossForRead),
        survivesZoneLossForWrite: p.minio.pools.every((x) => x.survivesZoneLossForWrite),
      },
      harborUrl: p.harbor.url,
      warnings: p.warnings,
      outputs: {
        dir: relative(root, join(dist, p.names.outputs.dir)),
        plan: relative(root, join(dist, planMarkdownFile(p))),
        manifests: manifests.map((m) => relative(root, join(dist, p.names.outputs.manifests, m))),
      },
    })),
    cdkOut: relative(root, s.cdkOut),
    stacks: s.stacks,
  };
}

/** dist/summary.txt and dist/summary.json. */
export function writeSummary(dist: string, s: SynthSummary, root: string): string {
  const text = formatSummary(s, root);
  writeFileSync(join(dist, 'summary.txt'), text);
  writeFileSync(join(dist, 'summary.json'), JSON.stringify(summaryJson(s, root), null, 2) + '\n');
  return text;
}
