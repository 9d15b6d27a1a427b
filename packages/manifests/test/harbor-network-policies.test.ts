import { HARBOR_RELEASE, type EnvironmentConfig } from '@harbor-platform/config';
import { chartReleases, renderChart, upstreamChart, type PlannedEnvironment } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { environment, ofKind, synth } from './util.js';

/**
 * Harbor's namespace as it will run: the pods the real chart (1.19.1) renders with our values,
 * the registry-data backup and MinIO from our manifests, and our NetworkPolicies. A small
 * evaluator of NetworkPolicy semantics (a connection needs the source's egress and the
 * destination's ingress; a pod no policy selects is open in that direction) answers, for each
 * path, whether it is allowed.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */

interface Endpoint {
  readonly name: string;
  readonly ip: string;
  /** Pods only. */
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

function selects(s: Selector | undefined, labels: Record<string, string>): boolean {
  if (!s) return true;
  const byLabels = Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (s.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    if (e.operator === 'In') return has && e.values!.includes(labels[e.key]!);
    if (e.operator === 'NotIn') return !has || !e.values!.includes(labels[e.key]!);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    throw new Error(`operator ${e.operator}`);
  });
  return byLabels && byExpressions;
}

const ipNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base!) / size);
}

function peerMatches(peer: any, policyNamespace: string, e: Endpoint): boolean {
  if (peer.ipBlock) return inCidr(e.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(e.ip, c));
  if (!e.namespace) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': e.namespace }) : e.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, e.labels!);
}

const portMatches = (ports: any[] | undefined, port: number, protocol: string) => !ports || ports.some((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);

/** Whether the policies let `from` open a connection to `to` on the port. */
function allowed(policies: any[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const side = (pod: Endpoint, type: 'Ingress' | 'Egress', peer: Endpoint) => {
    if (!pod.namespace) return true;
    const applying = policies.filter((p) =>
      p.metadata.namespace === pod.namespace && p.spec.policyTypes.includes(type) && selects(p.spec.podSelector, pod.labels!));
    if (applying.length === 0) return true;
    const rules = applying.flatMap((p) => (type === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
    return rules.some((r: any) => {
      const peers = type === 'Ingress' ? r.from : r.to;
      return (!peers || peers.some((x: any) => peerMatches(x, pod.namespace!, peer))) && portMatches(r.ports, port, protocol);
    });
  };
  return side(from, 'Egress', to) && side(to, 'Ingress', from);
}

/** An address `offset` past the start of the VPC's range (pods, the ALB, RDS all have one). */
function vpcAddress(config: EnvironmentConfig, offset: number): string {
  const n = ipNumber(config.network.vpcCidr.split('/')[0]!) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function scene(planned: PlannedEnvironment) {
  const { config } = planned;
  const release = chartReleases(config).find((r) => r.name === 'harbor')!;
  const chart = upstreamChart(release.ref);
  if (!chart) return undefined;
  const rendered = renderChart({ ...release, chart });
  const ours = synth(planned).objects;
  const templates = [...rendered, ...ours].filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind));
  const podOf = (o: any): Endpoint => ({
    name: `${o.kind}/${o.metadata.name}`,
    namespace: o.metadata.namespace ?? config.harbor.namespace,
    labels: (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template).metadata.labels,
    ip: vpcAddress(config, 64 * 256 + 10),
  });
  const pods = templates.map(podOf);
  const harborPod = (component: string) => {
    const found = pods.find((p) =>
      p.namespace === config.harbor.namespace && p.labels!.release === HARBOR_RELEASE && p.labels!.component === component);
    if (!found) throw new Error(`the chart renders no ${component} pod`);
    return found;
  };
  return {
    policies: ofKind(ours, 'NetworkPolicy'),
    pods,
    harborPod,
    backup: pods.find((p) => p.name === 'CronJob/registry-backup')!,
    minio: pods.find((p) => p.namespace === config.minio.namespace && p.name.startsWith('StatefulSet/'))!,
    alb: { name: 'ALB', ip: vpcAddress(config, 10) } as Endpoint,
    internet: { name: 'internet', ip: '203.0.113.10' } as Endpoint,
    rds: { name: 'RDS', ip: vpcAddress(config, 130 * 256 + 20) } as Endpoint,
    dns: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: vpcAddress(config, 64 * 256 + 2) } as Endpoint,
    stranger: { name: 'a pod of another namespace', namespace: 'default', labels: { app: 'stranger' }, ip: vpcAddress(config, 65 * 256 + 7) } as Endpoint,
  };
}

describe('dev: Harbor\'s namespace, as the real chart renders it, under our NetworkPolicies', () => {
  const s = scene(environment('dev'));

  it('denies everything by default (in-VPC traffic reaches only portal and core, as through the ALB) and lets every pod resolve names', () => {
    if (!s) return;
    const deny = s.policies.find((p) => p.metadata.namespace === 'harbor' && p.metadata.name === 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const harborPods = s.pods.filter((p) => p.namespace === 'harbor');
    expect(harborPods.length).toBeGreaterThanOrEqual(8);
    for (const pod of harborPods) {
      expect(allowed(s.policies, pod, s.dns, 53, 'UDP'), pod.name).toBe(true);
      // Portal and core take 8080 from the VPC's range (where the ALB sends from): what the internet reaches through the ALB anyway.
      const public_ = ['portal', 'core'].includes(pod.labels!.component!);
      expect(allowed(s.policies, s.stranger, pod, 8080), pod.name).toBe(public_);
      expect(allowed(s.policies, pod, s.internet, 22), pod.name).toBe(false);
    }
  });

  it('selects, in each component policy, exactly that component\'s rendered pods', () => {
    if (!s) return;
    // The settings-reload CronJob's policy is ours, not a chart component's: it selects that CronJob's pods alone.
    const reload = s.policies.find((p) => p.metadata.namespace === 'harbor' && p.metadata.name === 'harbor-settings-reload')!;
    expect(s.pods.filter((pod) => pod.namespace === 'harbor' && selects(reload.spec.podSelector, pod.labels!)).map((pod) => pod.name)).toEqual(['CronJob/harbor-settings-reload']);
    const components = s.policies.filter((p) => p.metadata.namespace === 'harbor' && p.metadata.name.startsWith('harbor-') && p !== reload);
    expect(components.map((p) => p.metadata.name).sort()).toEqual(['harbor-core', 'harbor-database', 'harbor-jobservice', 'harbor-portal', 'harbor-redis', 'harbor-registry', 'harbor-trivy']);
    for (const p of components) {
      const selected = s.pods.filter((pod) => pod.namespace === 'harbor' && selects(p.spec.podSelector, pod.labels!)).map((pod) => pod.labels!.component);
      expect(selected, p.metadata.name).toEqual([p.metadata.name.replace('harbor-', '')]);
    }
  });

  const paths: [string, (x: NonNullable<typeof s>) => [Endpoint, Endpoint], number, boolean][] = [
    ['ALB -> portal', (x) => [x.alb, x.harborPod('portal')], 8080, true],
    ['ALB -> core', (x) => [x.alb, x.harborPod('core')], 8080, true],
    ['ALB -> registry', (x) => [x.alb, x.harborPod('registry')], 5000, false],
    ['ALB -> database', (x) => [x.alb, x.harborPod('database')], 5432, false],
    ['core -> database', (x) => [x.harborPod('core'), x.harborPod('database')], 5432, true],
    ['jobservice -> database', (x) => [x.harborPod('jobservice'), x.harborPod('database')], 5432, true],
    ['registry -> database', (x) => [x.harborPod('registry'), x.harborPod('database')], 5432, false],
    ['portal -> database', (x) => [x.harborPod('portal'), x.harborPod('database')], 5432, false],
    ['another namespace -> database', (x) => [x.stranger, x.harborPod('database')], 5432, false],
    ['core -> redis', (x) => [x.harborPod('core'), x.harborPod('redis')], 6379, true],
    ['jobservice -> redis', (x) => [x.harborPod('jobservice'), x.harborPod('redis')], 6379, true],
    ['registry -> redis', (x) => [x.harborPod('registry'), x.harborPod('redis')], 6379, true],
    ['trivy -> redis', (x) => [x.harborPod('trivy'), x.harborPod('redis')], 6379, true],
    ['portal -> redis', (x) => [x.harborPod('portal'), x.harborPod('redis')], 6379, false],
    ['another namespace -> redis', (x) => [x.stranger, x.harborPod('redis')], 6379, false],
    ['core -> MinIO', (x) => [x.harborPod('core'), x.minio], 9000, true],
    ['registry -> MinIO', (x) => [x.harborPod('registry'), x.minio], 9000, true],
    ['portal -> MinIO', (x) => [x.harborPod('portal'), x.minio], 9000, false],
    ['core -> registry', (x) => [x.harborPod('core'), x.harborPod('registry')], 5000, true],
    ['core -> registryctl', (x) => [x.harborPod('core'), x.harborPod('registry')], 8080, true],
    ['jobservice -> registryctl (GC)', (x) => [x.harborPod('jobservice'), x.harborPod('registry')], 8080, true],
    ['registry -> core (notifications)', (x) => [x.harborPod('registry'), x.harborPod('core')], 8080, true],
    ['core -> jobservice', (x) => [x.harborPod('core'), x.harborPod('jobservice')], 8080, true],
    ['jobservice -> core', (x) => [x.harborPod('jobservice'), x.harborPod('core')], 8080, true],
    ['jobservice -> trivy (scan jobs)', (x) => [x.harborPod('jobservice'), x.harborPod('trivy')], 8080, true],
    ['trivy -> core (pulls)', (x) => [x.harborPod('trivy'), x.harborPod('core')], 8080, true],
    ['another namespace -> jobservice', (x) => [x.stranger, x.harborPod('jobservice')], 8080, false],
    ['registry backup -> registry', (x) => [x.backup, x.harborPod('registry')], 5000, true],
    ['registry backup -> database', (x) => [x.backup, x.harborPod('database')], 5432, false],
    ['core -> LDAP (ldaps)', (x) => [x.harborPod('core'), x.internet], 636, true],
    ['registry -> LDAP', (x) => [x.harborPod('registry'), x.internet], 636, false],
    ['trivy -> vulnerability database (HTTPS)', (x) => [x.harborPod('trivy'), x.internet], 443, true],
    ['jobservice -> replication endpoints (HTTPS)', (x) => [x.harborPod('jobservice'), x.internet], 443, true],
    ['database -> internet', (x) => [x.harborPod('database'), x.internet], 443, false],
    ['redis -> internet', (x) => [x.harborPod('redis'), x.internet], 443, false],
  ];
  for (const [name, ends, port, expected] of paths) {
    it(`${expected ? 'allows' : 'denies'} ${name}:${port}`, () => {
      if (!s) return;
      const [from, to] = ends(s);
      expect(allowed(s.policies, from, to, port)).toBe(expected);
    });
  }
});

describe('prod: external database and Redis', () => {
  const planned = environment('prod');
  const { config } = planned;
  const s = scene(planned);

  it('reaches RDS and ElastiCache in the VPC from core and jobservice, and renders no policy for pods that do not run', () => {
    if (!s) return;
    expect(config.harbor.database.type).toBe('external');
    expect(allowed(s.policies, s.harborPod('core'), s.rds, 5432), 'core').toBe(true);
    expect(allowed(s.policies, s.harborPod('jobservice'), s.rds, 6379), 'jobservice').toBe(true);
    expect(allowed(s.policies, s.harborPod('portal'), s.rds, 5432)).toBe(false);
    const names = s.policies.filter((p) => p.metadata.namespace === 'harbor').map((p) => p.metadata.name);
    expect(names).not.toContain('harbor-database');
    expect(names).not.toContain('harbor-redis');
  });
});
