import { CAPABILITIES, partLabel, type AvailabilityScenario, type AvailabilityVerdict, type Capability, type PlatformPart } from './availability.js';
import type { ImagePlan } from './images.js';
import type { EnvironmentPlan, NodeGroupPlan } from './plan.js';
import type { Warning } from './problems.js';
import type { StateTier } from './state-tiers.js';

/**
 * The phrases of plan.md, one function each, so that every other report of a plan
 * (the synth summary, the job summary) says it in the same words.
 */
export const planPhrases = {
  /** `2.5 TiB`, `512 GiB` */
  gib: (n: number) => (n >= 1024 ? `${+(n / 1024).toFixed(2)} TiB` : `${+n.toFixed(2)} GiB`),
  yes: (b: boolean) => (b ? 'yes' : 'no'),
  title: (p: EnvironmentPlan) => `${p.environment} (${p.stage})`,
  aws: (p: EnvironmentPlan) => `AWS account ${p.aws.account}, region ${p.aws.region}, zones ${p.aws.availabilityZones.join(', ')}`,
  harbor: (p: EnvironmentPlan) =>
    `Harbor ${p.harbor.url} (chart ${p.harbor.chartVersion}, ${p.harbor.replicas} replicas per stateless tier, database ${p.harbor.database}, Redis ${p.harbor.redis}, Trivy ${p.harbor.trivy ? 'on' : 'off'})`,
  /** One node group in the words of the plan's table: name, zone, instance types, min, desired, max. */
  nodeGroup: (n: NodeGroupPlan) => `${n.name} (zone ${n.availabilityZone}, ${n.instanceTypes.join(', ')}, min ${n.min}, desired ${n.desired}, max ${n.max})`,
  /** `strong` marks the goal up (bold in Markdown, plain in a terminal). */
  zoneLossGoal: (p: EnvironmentPlan, strong = (s: string) => `**${s}**`) => `Goal when one AZ fails: ${strong(p.minio.tolerateZoneLoss)}.`,
  /**
   * Whether a pool still reads with its worst AZ down: `no`, `yes`, or, when the drives left in
   * some set are exactly its read quorum, `yes, at exact quorum (no drive to spare)`: one more
   * failed drive in that set stops its reads.
   */
  readAfterZoneLoss: (pools: readonly ZoneLossPool[]) => {
    if (!pools.every((x) => x.survivesZoneLossForRead)) return 'no';
    const spare = Math.min(...pools.map((x) => x.setDriveCount - Math.max(...x.sets.flatMap((s) => s.drivesPerZone)) - x.readQuorum));
    return spare === 0 ? 'yes, at exact quorum (no drive to spare)' : 'yes';
  },
  /** Whether every pool still reads and writes with one AZ down (the plan's "AZ loss" columns). */
  zoneLoss: (p: EnvironmentPlan) =>
    `with one AZ lost: read ${planPhrases.readAfterZoneLoss(p.minio.pools)}; write ${planPhrases.yes(p.minio.pools.every((x) => x.survivesZoneLossForWrite))}`,
  /** `6 servers, 12 drives, 5.86 TiB raw, 3.91 TiB usable`. */
  minioSize: (p: EnvironmentPlan) =>
    `${p.minio.totals.servers} servers, ${p.minio.totals.drives} drives, ${planPhrases.gib(p.minio.totals.rawCapacityGiB)} raw, ${planPhrases.gib(p.minio.totals.usableCapacityGiB)} usable`,
  minioTotals: (p: EnvironmentPlan) => `Total: ${planPhrases.minioSize(p)}.`,
  /** `zonal (accepted)`, `zonal (NOT accepted)`, `Multi-AZ`, `erasure-coded over the AZs`. */
  placement: (t: StateTier) =>
    t.placement === 'erasureCoded' ? 'erasure-coded over the AZs' : t.placement === 'multiAz' ? 'Multi-AZ' : t.accepted === undefined ? 'zonal' : `zonal (${t.accepted ? 'accepted' : 'NOT accepted'})`,
  /** A verdict of the availability table: `yes`, `brief outage`, `at risk`, `no`. */
  verdict: (v: AvailabilityVerdict) => ({ serving: 'yes', interrupted: 'brief outage', atRisk: 'at risk', down: 'no' })[v],
  /** Harbor's stateless tiers: replicas and what an AZ loss leaves. */
  harborTiers: (p: EnvironmentPlan) => {
    const t = p.availability.harborTiers[0]!;
    return `Harbor's stateless tiers (${p.availability.harborTiers.map((x) => x.name).join(', ')}): ${t.replicas} replicas each, at most ${t.maxPerAz} per AZ, so at least ${t.leftAfterZoneLoss} left when an AZ is lost.`;
  },
  warning: (w: Warning) => `\`${w.path}\`: ${w.message}`,
  /** `built: <what> -> <repository> (digest from SSM <parameter>)` or `external: <image>`. */
  image: (i: ImagePlan) =>
    i.built ? `built: ${i.builtFrom}, pushed to \`${i.repositoryUri}\`, run by the digest in SSM \`${i.digestParameter}\`` : `external: \`${i.image}\``,
};

const { gib, yes } = planPhrases;

/** What {@link planPhrases.readAfterZoneLoss} reads of a pool's plan. */
type ZoneLossPool = Pick<EnvironmentPlan['minio']['pools'][number], 'survivesZoneLossForRead' | 'setDriveCount' | 'readQuorum' | 'sets'>;

/** The plan as a Markdown page (plan.md, the job summary). */
export function planMarkdown(p: EnvironmentPlan): string {
  const lines = [
    `# Plan: ${planPhrases.title(p)}`,
    '',
    `- ${planPhrases.aws(p)}`,
    `- VPC ${p.network.vpcCidr}, ${p.network.natGateways} NAT gateway(s)`,
    `- ${planPhrases.harbor(p)}`,
    `- Registry storage: S3 bucket \`${p.registryStorage.bucket}\` at \`${p.registryStorage.regionendpoint}\``,
    '',
    '## Node groups',
    '',
    '| name | zone | instance types | min | desired | max |',
    '|---|---|---|---|---|---|',
    ...p.nodeGroups.map((n) => `| ${n.name} | ${n.availabilityZone} | ${n.instanceTypes.join(', ')} | ${n.min} | ${n.desired} | ${n.max} |`),
    '',
    `## MinIO (${p.minio.image})`,
    '',
    `${planPhrases.zoneLossGoal(p)} Endpoint \`${p.minio.endpoint}\`.`,
    '',
    '| pool | servers | drives | set size | sets | EC | read quorum | write quorum | drives per AZ in a set | AZ loss: read | AZ loss: write | raw | usable |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...p.minio.pools.map(
      (x) =>
        `| ${x.index} | ${x.servers} | ${x.drives} | ${x.setDriveCount} | ${x.setCount} | EC:${x.parity} | ${x.readQuorum} | ${x.writeQuorum} | ${x.sets[0]!.drivesPerZone.join('/')} | ${planPhrases.readAfterZoneLoss([x])} | ${yes(x.survivesZoneLossForWrite)} | ${gib(x.rawCapacityGiB)} | ${gib(x.usableCapacityGiB)} |`,
    ),
    '',
    planPhrases.minioTotals(p),
    '',
    '## State',
    '',
    '| state | where | placement | when its AZ is lost |',
    '|---|---|---|---|',
    ...p.stateTiers.map((t) => `| ${t.name} | ${t.what} | ${planPhrases.placement(t)} | ${t.meaning} |`),
    '',
    ...availabilityMarkdown(p),
    '## Backups',
    '',
    '| schedule | cron (UTC) | TTL | namespaces | volume snapshots |',
    '|---|---|---|---|---|',
    ...p.backups.velero.schedules.map((s) => `| ${s.name} | \`${s.cron}\` | ${s.ttl} | ${s.includedNamespaces.join(', ')} | ${yes(s.snapshotVolumes)} |`),
    '',
    `Registry data: \`${p.backups.registryData.cron}\` into s3://${p.backups.registryData.bucket}/${p.backups.registryData.prefix}, keeping ${p.backups.registryData.retention} inventories.`,
    '',
    `Worst-case RPO of a restore: ${p.backups.rpo.worstCaseMinutes} min (Velero backups ${p.backups.rpo.veleroMinutes} min, registry-data copies ${p.backups.rpo.registryDataMinutes} min); copies reach back ${p.backups.rpo.registryDataCoverageHours} h, the longest Velero TTL is ${p.backups.rpo.longestVeleroTtlHours} h.`,
    '',
    `Restore drill: \`${p.drill.cron}\` into ${p.drill.namespaces.join(', ')}; RTO target ${p.drill.rtoTargetMinutes} min; AZ-loss step ${p.drill.zoneLoss.enabled ? `on (${p.drill.zoneLoss.zone === 'rotate' ? 'AZ by rotation' : p.drill.zoneLoss.zone})` : 'off'}.`,
    '',
    '## Images',
    '',
    `- MinIO server: ${planPhrases.image(p.images.minio)}`,
    `- ops CLI (registry-data backup, settings reload): ${planPhrases.image(p.images.ops)}`,
    `- Docker Hub (goharbor, velero) through the ECR pull-through cache \`${p.images.caches.dockerHub.repositoryBase}\` (credentials: Secrets Manager \`${p.images.caches.dockerHub.credentialSecret}\`)`,
    '',
    '## GitHub Actions',
    '',
    '| GitHub environment | jobs | role |',
    '|---|---|---|',
    `| ${p.github.environment} | deploy, restore | ${p.github.deployRole.arn} |`,
    `| ${p.github.operationsEnvironment} | drift, restore drill | ${p.github.operationsRole.arn} |`,
    '',
    `Roles trust only these workflows on \`${p.github.trustedRef}\` (${p.github.subjectForm} OIDC subject, template \`${p.github.subjectClaimKeys.join(', ')}\`); sessions last ${p.github.deployRole.maxSessionSeconds / 60} min (deploy) and ${p.github.operationsRole.maxSessionSeconds / 60} min (operations).`,
    '',
    `Jobs that reach the Kubernetes API (smoke, drift, restore drill, restore) run on the VPC runners of CodeBuild project \`${p.github.runner.projectName}\` (\`runs-on: ${p.github.runner.label}\`).`,
  ];
  lines.push('', ...namesMarkdown(p));
  if (p.warnings.length) lines.push('', '## Warnings', '', ...p.warnings.map((w) => `- ${planPhrases.warning(w)}`));
  return lines.join('\n') + '\n';
}

/** `plan.names` as an operator looks them up: what each name is, then the name. */
function namesMarkdown(p: EnvironmentPlan): string[] {
  const n = p.names;
  const code = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(', ');
  const { operations, restore } = n.clusterAccess;
  const access = (a: { role: string; group: string; rbac: string }) => `role \`${a.role}\` in group \`${a.group}\`, RBAC \`${a.rbac}\``;
  return [
    '## Names',
    '',
    '| what | name |',
    '|---|---|',
    `| CloudFormation stacks (platform, GitHub roles) | ${code([n.stacks.platform, n.stacks.github])} |`,
    `| EKS cluster | \`${n.cluster}\` |`,
    `| namespaces (Harbor, MinIO, Velero, ExternalDNS; the drill's) | ${code([n.namespaces.harbor, n.namespaces.minio, n.namespaces.velero, n.namespaces.externalDns])}; ${code([n.namespaces.drill.harbor, n.namespaces.drill.minio])} |`,
    `| Helm releases (Harbor, Velero, ExternalDNS) | ${code([n.releases.harbor, n.releases.velero, n.releases.externalDns])} |`,
    `| stack exports | ${code([...Object.values(n.exports.platform), ...Object.values(n.exports.github)])} |`,
    `| cluster access: operations (smoke, drift, drill) | ${access(operations)}; admission policies ${code([operations.drillGuard, operations.dryRunOnly])}, diff RBAC \`${operations.diff}\` |`,
    `| cluster access: restore | ${access(restore)} |`,
    `| drill's restore modifiers (ConfigMap) | \`${n.drillModifiersConfigMap}\` |`,
  ];
}

const CAPABILITY_TITLES: Record<Capability, string> = { pull: 'pull', push: 'push', ui: 'UI/API', ldapLogin: 'LDAP login', backups: 'backups' };

/** The availability table: a row per scenario, then why each cell says what it says. */
function availabilityMarkdown(p: EnvironmentPlan): string[] {
  const rows = p.availability.scenarios;
  return [
    '## Availability',
    '',
    `${planPhrases.harborTiers(p)} "at risk": stops if the lost AZ holds the zonal state (see State); "brief outage": a restart or failover of a minute or two.`,
    '',
    `| scenario | ${CAPABILITIES.map((k) => CAPABILITY_TITLES[k]).join(' | ')} |`,
    `|---|${CAPABILITIES.map(() => '---|').join('')}`,
    ...rows.map((r) => `| ${r.name} | ${CAPABILITIES.map((k) => planPhrases.verdict(r.capabilities[k].verdict)).join(' | ')} |`),
    '',
    ...rows.flatMap((r) => [`Why, ${r.name}:`, ...whyLines(r), '']),
  ];
}

/** One line per reason: parts that fare alike and say the same (the Harbor tiers, MinIO's read and write) share it. */
function whyLines(r: AvailabilityScenario): string[] {
  const byReason = new Map<string, string[]>();
  for (const [part, cell] of Object.entries(r.parts) as [PlatformPart, AvailabilityScenario['parts'][PlatformPart]][]) {
    const key = `${planPhrases.verdict(cell.verdict)}: ${cell.because}`;
    const names = byReason.get(key) ?? [];
    const name = part === 'minioRead' ? 'MinIO reads' : part === 'minioWrite' ? 'MinIO writes' : partLabel(part);
    byReason.set(key, [...names, name]);
  }
  return [...byReason].map(([reason, names]) => `- ${names.join(', ')}: ${reason}`);
}
