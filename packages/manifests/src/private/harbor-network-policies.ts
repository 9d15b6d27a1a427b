import type { EnvironmentPlan } from '@harbor-platform/config';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { addresses, ANYWHERE, DNS, harborPods, tcp, type HarborComponent, type Peer } from './network-peers.js';

/**
 * Harbor's namespace denies all traffic by default, and each component is allowed the
 * paths Harbor 2.15 (chart 1.19.1, internal TLS off) uses, one NetworkPolicy per component
 * named `harbor-<component>`. Enforced by the VPC CNI's network policy agent (the `vpc-cni`
 * add-on with `enableNetworkPolicy`), which always lets the kubelet's probes through.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html
 */

/** Container ports of the chart's components with internal TLS off. */
export const HARBOR_PORTS = {
  core: 8080,
  portal: 8080,
  registry: 5000,
  registryctl: 8080,
  jobservice: 8080,
  trivy: 8080,
  database: 5432,
  redis: 6379,
} as const;

/** The directory's port, from `ldap.url` (636 for ldaps://, 389 for ldap:// when it names none). */
export function ldapPort(ldapUrl: string): number {
  const url = new URL(ldapUrl);
  return url.port ? Number(url.port) : url.protocol === 'ldaps:' ? 636 : 389;
}

/** What Harbor's policies are made of. */
export interface HarborPolicySettings {
  /** Harbor's namespace (`names.namespaces.harbor`), the VPC's range (`network.vpcCidr`), and which stores and tiers run (`harbor`). */
  readonly plan: Pick<EnvironmentPlan, 'names' | 'network'> & { readonly harbor: Pick<EnvironmentPlan['harbor'], 'database' | 'redis' | 'trivy'> };
  /** `ldap.url`: core reaches the directory on its port. */
  readonly ldapUrl: string;
}

export interface HarborPolicyPeers {
  /** Pods of the MinIO servers (the registry's S3 store). */
  readonly minioServers: Peer;
  /** The registry-data backup's pods (they read the registry's API). */
  readonly registryBackup: Peer;
}

/** Adds the default deny and each component's allowed paths to `scope`. */
export function addHarborPolicies(scope: Construct, settings: HarborPolicySettings, peers: HarborPolicyPeers): void {
  const { plan } = settings;
  const ns = plan.names.namespaces.harbor;
  const vpc = plan.network.vpcCidr;
  const harbor = (...components: HarborComponent[]) => harborPods(ns, components);
  const P = HARBOR_PORTS;
  const internalDb = plan.harbor.database === 'internal';
  const internalRedis = plan.harbor.redis === 'internal';
  // Where the ALB's nodes send from: its subnets are the VPC's public ones (target type ip).
  const loadBalancer = addresses(vpc);
  // RDS and ElastiCache sit in the VPC's private subnets; NetworkPolicy cannot name them otherwise.
  const database: k8s.NetworkPolicyEgressRule = { to: [internalDb ? harbor('database') : addresses(vpc)], ports: [tcp(P.database)] };
  const redis: k8s.NetworkPolicyEgressRule = { to: [internalRedis ? harbor('redis') : addresses(vpc)], ports: [tcp(P.redis)] };
  const minio: k8s.NetworkPolicyEgressRule = { to: [peers.minioServers], ports: [tcp(9000)] };
  // Replication endpoints, proxy-cache upstreams and webhooks: outside, by name, over HTTPS.
  const https: k8s.NetworkPolicyEgressRule = { to: [ANYWHERE], ports: [tcp(443)] };

  const policy = (component: HarborComponent, spec: { ingress?: k8s.NetworkPolicyIngressRule[]; egress?: k8s.NetworkPolicyEgressRule[] }) =>
    new k8s.KubeNetworkPolicy(scope, `Harbor-${component}`, {
      metadata: { name: `harbor-${component}`, namespace: ns },
      spec: {
        podSelector: { matchLabels: { ...(harbor(component).podSelector!.matchLabels), component } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: spec.ingress ?? [],
        egress: spec.egress ?? [],
      },
    });

  new k8s.KubeNetworkPolicy(scope, 'HarborDefaultDeny', {
    metadata: { name: 'default-deny', namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  new k8s.KubeNetworkPolicy(scope, 'HarborDns', {
    metadata: { name: 'allow-dns', namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [DNS] },
  });

  policy('portal', { ingress: [{ from: [loadBalancer], ports: [tcp(P.portal)] }] });

  policy('core', {
    ingress: [
      { from: [loadBalancer], ports: [tcp(P.core)] },
      // jobservice reports job status, trivy pulls through core, the registry sends its push notifications.
      { from: [harbor('jobservice', 'trivy', 'registry')], ports: [tcp(P.core)] },
    ],
    egress: [
      database,
      redis,
      minio,
      { to: [harbor('registry')], ports: [tcp(P.registry), tcp(P.registryctl)] },
      { to: [harbor('jobservice')], ports: [tcp(P.jobservice)] },
      { to: [harbor('trivy')], ports: [tcp(P.trivy)] },
      { to: [ANYWHERE], ports: [tcp(ldapPort(settings.ldapUrl))] },
      https,
    ],
  });

  policy('registry', {
    ingress: [
      { from: [harbor('core', 'jobservice'), peers.registryBackup], ports: [tcp(P.registry)] },
      // registryctl: garbage collection and blob deletion, driven by core and jobservice.
      { from: [harbor('core', 'jobservice')], ports: [tcp(P.registryctl)] },
    ],
    egress: [minio, redis, { to: [harbor('core')], ports: [tcp(P.core)] }],
  });

  policy('jobservice', {
    ingress: [{ from: [harbor('core')], ports: [tcp(P.jobservice)] }],
    egress: [
      database,
      redis,
      { to: [harbor('core')], ports: [tcp(P.core)] },
      { to: [harbor('registry')], ports: [tcp(P.registry), tcp(P.registryctl)] },
      { to: [harbor('trivy')], ports: [tcp(P.trivy)] },
      https,
    ],
  });

  if (plan.harbor.trivy) {
    policy('trivy', {
      ingress: [{ from: [harbor('core', 'jobservice')], ports: [tcp(P.trivy)] }],
      // The vulnerability database comes from an OCI registry over HTTPS.
      egress: [redis, { to: [harbor('core')], ports: [tcp(P.core)] }, https],
    });
  }
  if (internalDb) policy('database', { ingress: [{ from: [harbor('core', 'jobservice')], ports: [tcp(P.database)] }] });
  if (internalRedis) policy('redis', { ingress: [{ from: [harbor('core', 'jobservice', 'registry', 'trivy')], ports: [tcp(P.redis)] }] });
}
