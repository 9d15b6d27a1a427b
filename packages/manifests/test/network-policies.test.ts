import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, named, ofKind, synth } from './util.js';
import { NetworkPolicyChart } from '../src/index.js';

/** NetworkPolicyChart alone on dev's plan (namespaces, VPC range, Harbor's stores, MinIO's Service) and LDAP URL. */
const policies = () => {
  const { config, plan } = environment();
  return new NetworkPolicyChart(Testing.app(), 'network-policies', { plan, ldapUrl: config.ldap.url }).toJson();
};

/** A peer as "namespace/labels" for readable comparisons. */
function describePeer(p: any): string {
  const ns = p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? (p.ipBlock ? 'ip' : 'same');
  const labels = p.podSelector ? JSON.stringify({ ...p.podSelector.matchLabels, ...(p.podSelector.matchExpressions ? { in: p.podSelector.matchExpressions[0].values } : {}) }) : p.ipBlock ? JSON.stringify(p.ipBlock) : 'all';
  return `${ns}/${labels}`;
}

describe('NetworkPolicyChart', () => {
  it('denies all traffic in the MinIO namespace by default', () => {
    const deny = named(policies(), 'NetworkPolicy', 'default-deny');
    expect(deny.metadata.namespace).toBe('minio');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('admits to port 9000 only the servers, Harbor registry and core, the provisioning Job, the backup and Velero', () => {
    const servers = named(policies(), 'NetworkPolicy', 'minio-servers');
    expect(servers.spec.ingress).toHaveLength(1);
    expect(servers.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9000 }]);
    expect(servers.spec.ingress[0].from.map(describePeer)).toEqual([
      'minio/{"app.kubernetes.io/instance":"minio","app.kubernetes.io/name":"minio"}',
      'harbor/{"app":"harbor","release":"harbor","in":["core","registry"]}',
      'minio/{"app.kubernetes.io/name":"minio-provisioning"}',
      'harbor/{"app.kubernetes.io/name":"registry-backup"}',
      'velero/all',
    ]);
  });

  it('opens no other port of MinIO, the console included', () => {
    const all = policies().filter((p) => p.metadata.namespace === 'minio').flatMap((p) => p.spec.ingress ?? []);
    expect(all.flatMap((r: any) => r.ports.map((port: any) => port.port))).toEqual([9000]);
  });

  it('limits the backup CronJob to DNS, MinIO, the registry, HTTPS outside the VPC and the Pod Identity agent', () => {
    const backup = named(policies(), 'NetworkPolicy', 'registry-backup');
    expect(backup.metadata.namespace).toBe('harbor');
    expect(backup.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(backup.spec.ingress).toBeUndefined();
    const rules = backup.spec.egress.map((r: any) => `${r.to.map(describePeer).join('+')}:${r.ports.map((p: any) => `${p.protocol}/${p.port}`).join(',')}`);
    expect(rules).toEqual([
      'minio/{"app.kubernetes.io/instance":"minio","app.kubernetes.io/name":"minio"}:TCP/9000',
      'harbor/{"app":"harbor","release":"harbor","in":["registry"]}:TCP/5000',
      'ip/{"cidr":"0.0.0.0/0","except":["10.20.0.0/16"]}:TCP/443',
      'ip/{"cidr":"169.254.170.23/32"}:TCP/80',
      'kube-system/{"k8s-app":"kube-dns"}:UDP/53,TCP/53',
    ]);
  });

  it('selects the pods the workloads actually carry', () => {
    const { objects } = synth(environment());
    const cron = ofKind(objects, 'CronJob')[0];
    const job = ofKind(objects, 'Job')[0];
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).toMatchObject(named(policies(), 'NetworkPolicy', 'registry-backup').spec.podSelector.matchLabels);
    expect(job.spec.template.metadata.labels).toMatchObject(named(policies(), 'NetworkPolicy', 'minio-provisioning').spec.podSelector.matchLabels);
    for (const sts of ofKind(objects, 'StatefulSet')) {
      expect(sts.spec.template.metadata.labels).toMatchObject(named(policies(), 'NetworkPolicy', 'minio-servers').spec.podSelector.matchLabels);
    }
  });
});
