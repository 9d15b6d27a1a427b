import { describe, expect, it } from 'vitest';
import { namespaceLevels } from './chart-checks.js';
import { formatFinding, podSecurityFindings } from './pod-security.js';
import { synth, variants } from './util.js';

/** A pod template that meets restricted; each test breaks one control. */
function job(mutate: (spec: any) => void = () => {}): any {
  const spec: any = {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    volumes: [{ name: 'tmp', emptyDir: {} }],
    containers: [{ name: 'app', image: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  };
  mutate(spec);
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec } } };
}

const rules = (obj: any, level: 'baseline' | 'restricted' = 'restricted') => podSecurityFindings(obj, level).map((f) => `${f.field} ${f.rule}`);

describe('Pod Security rules', () => {
  it('passes a restricted pod', () => {
    expect(podSecurityFindings(job(), 'restricted')).toEqual([]);
  });

  it.each([
    ['hostNetwork', (s: any) => (s.hostNetwork = true), 'spec.template.spec.hostNetwork baseline: Host Namespaces'],
    ['privileged', (s: any) => (s.containers[0].securityContext.privileged = true), 'spec.template.spec.containers[app].securityContext.privileged baseline: Privileged Containers'],
    ['hostPath', (s: any) => s.volumes.push({ name: 'h', hostPath: { path: '/' } }), 'spec.template.spec.volumes[h].hostPath baseline: HostPath Volumes'],
    ['SYS_ADMIN', (s: any) => (s.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']), 'spec.template.spec.containers[app].securityContext.capabilities.add baseline: Capabilities'],
    ['hostPort', (s: any) => (s.containers[0].ports = [{ name: 'http', containerPort: 80, hostPort: 80 }]), 'spec.template.spec.containers[app].ports[http].hostPort baseline: Host Ports'],
    ['Unconfined', (s: any) => (s.securityContext.seccompProfile.type = 'Unconfined'), 'spec.template.spec.securityContext.seccompProfile.type baseline: Seccomp'],
    ['unsafe sysctl', (s: any) => (s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]), 'spec.template.spec.securityContext.sysctls[kernel.msgmax] baseline: Sysctls'],
  ])('baseline: %s', (_n, mutate, finding) => {
    expect(rules(job(mutate), 'baseline')).toContain(finding);
  });

  it.each([
    ['escalation', (s: any) => delete s.containers[0].securityContext.allowPrivilegeEscalation, 'spec.template.spec.containers[app].securityContext.allowPrivilegeEscalation restricted: Privilege Escalation'],
    ['root allowed', (s: any) => (s.containers[0].securityContext.runAsNonRoot = false), 'spec.template.spec.containers[app].securityContext.runAsNonRoot restricted: Running as Non-root'],
    ['uid 0', (s: any) => (s.containers[0].securityContext.runAsUser = 0), 'spec.template.spec.containers[app].securityContext.runAsUser restricted: Running as Non-root user'],
    ['no seccomp', (s: any) => delete s.securityContext.seccompProfile, 'spec.template.spec.containers[app].securityContext.seccompProfile.type restricted: Seccomp'],
    ['capabilities kept', (s: any) => (s.containers[0].securityContext.capabilities.drop = []), 'spec.template.spec.containers[app].securityContext.capabilities.drop restricted: Capabilities'],
    ['nfs volume', (s: any) => s.volumes.push({ name: 'n', nfs: { server: 'x', path: '/' } }), 'spec.template.spec.volumes[n].nfs restricted: Volume Types'],
  ])('restricted: %s (and not at baseline)', (_n, mutate, finding) => {
    expect(rules(job(mutate))).toContain(finding);
    expect(rules(job(mutate), 'baseline')).not.toContain(finding);
  });

  it('asks for a numeric runAsUser on every container under runAsNonRoot, init containers included, at any level', () => {
    const obj = job((s) => {
      delete s.securityContext.runAsUser;
      s.initContainers = [{ name: 'init', image: 'i', securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }];
    });
    expect(podSecurityFindings(obj, 'privileged').map(formatFinding)).toEqual([
      'Job/j: spec.template.spec.containers[app].securityContext.runAsUser: runAsNonRoot is true but no numeric non-zero runAsUser is set here or in the pod security context: ' +
        'the kubelet refuses an image whose USER is a name (rule kubelet: numeric runAsUser under runAsNonRoot, https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1)',
    ]);
  });

  it('packages/manifests\' own workloads meet the level of their namespace', () => {
    for (const [name, config] of variants()) {
      const levels = namespaceLevels(config.config);
      const objects = synth(config).objects;
      const findings = objects.flatMap((o) => podSecurityFindings(o, levels.get(o.metadata?.namespace) ?? 'restricted').map(formatFinding));
      expect(findings, name).toEqual([]);
    }
    // Twelve syntheses of every chart: seconds on a busy 2-core machine.
  }, 60_000);
});
