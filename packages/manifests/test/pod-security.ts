/**
 * The Pod Security Standards, checked on the pod templates of rendered objects at the level
 * a namespace enforces (`pod-security.kubernetes.io/enforce`), one rule per control of the
 * standard, plus one rule the kubelet adds. No upstream checker installs here as a program
 * (the admission plugin's evaluator, k8s.io/pod-security-admission, is a Go library with no
 * command), so the controls are written out from the standard, each naming its section.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const PSS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** One broken control: which object, which field, which rule, what is wrong. */
export interface PodSecurityFinding {
  /** `Kind/name`. */
  readonly object: string;
  /** Path of the offending field in the object (`spec.template.spec.containers[velero].securityContext.runAsUser`). */
  readonly field: string;
  /** `restricted: Running as Non-root user` (level and control as the standard names them). */
  readonly rule: string;
  readonly message: string;
  /** Where the rule is written. */
  readonly see: string;
}

export function formatFinding(f: PodSecurityFinding): string {
  return `${f.object}: ${f.field}: ${f.message} (rule ${f.rule}, ${f.see})`;
}

/** The pod spec of a workload and the path to it, or undefined for objects that run no pod. */
export function podSpecOf(obj: any): { path: string; spec: any; annotations: Record<string, string> } | undefined {
  switch (obj?.kind) {
    case 'Pod':
      return { path: 'spec', spec: obj.spec ?? {}, annotations: obj.metadata?.annotations ?? {} };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return { path: 'spec.template.spec', spec: obj.spec?.template?.spec ?? {}, annotations: obj.spec?.template?.metadata?.annotations ?? {} };
    case 'CronJob':
      return { path: 'spec.jobTemplate.spec.template.spec', spec: obj.spec?.jobTemplate?.spec?.template?.spec ?? {}, annotations: obj.spec?.jobTemplate?.spec?.template?.metadata?.annotations ?? {} };
    default:
      return undefined;
  }
}

interface Container {
  readonly path: string;
  readonly c: any;
}

function containersOf(path: string, spec: any): Container[] {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((k) =>
    ((spec[k] ?? []) as any[]).map((c) => ({ path: `${path}.${k}[${c.name}]`, c })),
  );
}

/** Capabilities baseline lets a container add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** The safe sysctls baseline allows (as of Kubernetes 1.33). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** Volume types restricted allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

type Report = (field: string, message: string) => void;
interface Rule {
  readonly level: 'baseline' | 'restricted' | 'kubelet';
  readonly control: string;
  readonly see: string;
  readonly check: (spec: any, path: string, containers: Container[], annotations: Record<string, string>, report: Report) => void;
}

const baseline = (control: string, check: Rule['check']): Rule => ({ level: 'baseline', control, see: `${PSS}#baseline`, check });
const restricted = (control: string, check: Rule['check']): Rule => ({ level: 'restricted', control, see: `${PSS}#restricted`, check });

/** Pod-level value overridden by the container's, as the kubelet resolves a security context. */
const effective = (spec: any, c: any, key: string) => c.securityContext?.[key] ?? spec.securityContext?.[key];

export const RULES: readonly Rule[] = [
  baseline('HostProcess', (spec, path, cs, _a, report) => {
    if (spec.securityContext?.windowsOptions?.hostProcess) report(`${path}.securityContext.windowsOptions.hostProcess`, 'must be unset or false');
    for (const { path: p, c } of cs) if (c.securityContext?.windowsOptions?.hostProcess) report(`${p}.securityContext.windowsOptions.hostProcess`, 'must be unset or false');
  }),
  baseline('Host Namespaces', (spec, path, _cs, _a, report) => {
    for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k]) report(`${path}.${k}`, 'must be unset or false');
  }),
  baseline('Privileged Containers', (_s, _p, cs, _a, report) => {
    for (const { path, c } of cs) if (c.securityContext?.privileged) report(`${path}.securityContext.privileged`, 'must be unset or false');
  }),
  baseline('Capabilities', (_s, _p, cs, _a, report) => {
    for (const { path, c } of cs) {
      const bad = ((c.securityContext?.capabilities?.add ?? []) as string[]).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
      if (bad.length) report(`${path}.securityContext.capabilities.add`, `adds ${bad.join(', ')}, beyond the baseline set`);
    }
  }),
  baseline('HostPath Volumes', (spec, path, _cs, _a, report) => {
    for (const v of spec.volumes ?? []) if (v.hostPath) report(`${path}.volumes[${v.name}].hostPath`, 'hostPath volumes are forbidden');
  }),
  baseline('Host Ports', (_s, _p, cs, _a, report) => {
    for (const { path, c } of cs) for (const port of c.ports ?? []) if (port.hostPort) report(`${path}.ports[${port.name ?? port.containerPort}].hostPort`, 'must be unset or 0');
  }),
  baseline('AppArmor', (spec, path, cs, annotations, report) => {
    const ok = (t: string | undefined) => t === undefined || t === 'RuntimeDefault' || t === 'Localhost';
    if (!ok(spec.securityContext?.appArmorProfile?.type)) report(`${path}.securityContext.appArmorProfile.type`, 'must be RuntimeDefault or Localhost');
    for (const { path: p, c } of cs) if (!ok(c.securityContext?.appArmorProfile?.type)) report(`${p}.securityContext.appArmorProfile.type`, 'must be RuntimeDefault or Localhost');
    for (const [k, v] of Object.entries(annotations)) {
      if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'runtime/default' && !v.startsWith('localhost/')) report(`metadata.annotations[${k}]`, 'must be runtime/default or localhost/*');
    }
  }),
  baseline('SELinux', (spec, path, cs, _a, report) => {
    const check = (o: any, at: string) => {
      if (!o) return;
      if (!SELINUX_TYPES.has(o.type ?? '')) report(`${at}.type`, `type ${o.type} is not allowed`);
      if (o.user) report(`${at}.user`, 'must be unset');
      if (o.role) report(`${at}.role`, 'must be unset');
    };
    check(spec.securityContext?.seLinuxOptions, `${path}.securityContext.seLinuxOptions`);
    for (const { path: p, c } of cs) check(c.securityContext?.seLinuxOptions, `${p}.securityContext.seLinuxOptions`);
  }),
  baseline('/proc Mount Type', (_s, _p, cs, _a, report) => {
    for (const { path, c } of cs) if (c.securityContext?.procMount && c.securityContext.procMount !== 'Default') report(`${path}.securityContext.procMount`, 'must be unset or Default');
  }),
  baseline('Seccomp', (spec, path, cs, _a, report) => {
    if (spec.securityContext?.seccompProfile?.type === 'Unconfined') report(`${path}.securityContext.seccompProfile.type`, 'must not be Unconfined');
    for (const { path: p, c } of cs) if (c.securityContext?.seccompProfile?.type === 'Unconfined') report(`${p}.securityContext.seccompProfile.type`, 'must not be Unconfined');
  }),
  baseline('Sysctls', (spec, path, _cs, _a, report) => {
    for (const s of spec.securityContext?.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) report(`${path}.securityContext.sysctls[${s.name}]`, 'is not a safe sysctl');
  }),
  restricted('Volume Types', (spec, path, _cs, _a, report) => {
    for (const v of spec.volumes ?? []) {
      const type = Object.keys(v).find((k) => k !== 'name');
      if (type && !RESTRICTED_VOLUMES.has(type)) report(`${path}.volumes[${v.name}].${type}`, `volume type ${type} is not allowed`);
    }
  }),
  restricted('Privilege Escalation', (_s, _p, cs, _a, report) => {
    for (const { path, c } of cs) if (c.securityContext?.allowPrivilegeEscalation !== false) report(`${path}.securityContext.allowPrivilegeEscalation`, 'must be false');
  }),
  restricted('Running as Non-root', (spec, _p, cs, _a, report) => {
    for (const { path, c } of cs) if (effective(spec, c, 'runAsNonRoot') !== true) report(`${path}.securityContext.runAsNonRoot`, 'must be true (here or in the pod security context)');
  }),
  restricted('Running as Non-root user', (spec, path, cs, _a, report) => {
    if (spec.securityContext?.runAsUser === 0) report(`${path}.securityContext.runAsUser`, 'must not be 0');
    for (const { path: p, c } of cs) if (c.securityContext?.runAsUser === 0) report(`${p}.securityContext.runAsUser`, 'must not be 0');
  }),
  restricted('Seccomp', (spec, _p, cs, _a, report) => {
    const ok = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
    for (const { path, c } of cs) if (!ok(c.securityContext?.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type)) report(`${path}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost (here or in the pod security context)');
  }),
  restricted('Capabilities', (_s, _p, cs, _a, report) => {
    for (const { path, c } of cs) {
      const caps = c.securityContext?.capabilities ?? {};
      if (!(caps.drop ?? []).includes('ALL')) report(`${path}.securityContext.capabilities.drop`, 'must include ALL');
      const added = ((caps.add ?? []) as string[]).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (added.length) report(`${path}.securityContext.capabilities.add`, `may add only NET_BIND_SERVICE, not ${added.join(', ')}`);
    }
  }),
  {
    // Not a control of the standard: the kubelet's own check. With runAsNonRoot and no numeric
    // runAsUser it reads the image's USER; a name there ("cnb", "nonroot") cannot be verified and
    // the container never starts (CreateContainerConfigError). The image's user is not ours to trust.
    level: 'kubelet',
    control: 'numeric runAsUser under runAsNonRoot',
    see: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1',
    check: (spec, _p, cs, _a, report) => {
      for (const { path, c } of cs) {
        if (effective(spec, c, 'runAsNonRoot') !== true) continue;
        const uid = effective(spec, c, 'runAsUser');
        if (!Number.isInteger(uid) || uid <= 0) report(`${path}.securityContext.runAsUser`, 'runAsNonRoot is true but no numeric non-zero runAsUser is set here or in the pod security context: the kubelet refuses an image whose USER is a name');
      }
    },
  },
];

const APPLIES: Record<PodSecurityLevel, ReadonlySet<Rule['level']>> = {
  privileged: new Set(['kubelet']),
  baseline: new Set(['baseline', 'kubelet']),
  restricted: new Set(['baseline', 'restricted', 'kubelet']),
};

/** Every finding of one object at a level (the kubelet rule applies at every level). */
export function podSecurityFindings(obj: any, level: PodSecurityLevel): PodSecurityFinding[] {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const object = `${obj.kind}/${obj.metadata?.name}`;
  const containers = containersOf(pod.path, pod.spec);
  return RULES.filter((r) => APPLIES[level].has(r.level)).flatMap((rule) => {
    const out: PodSecurityFinding[] = [];
    rule.check(pod.spec, pod.path, containers, pod.annotations, (field, message) =>
      out.push({ object, field, rule: `${rule.level}: ${rule.control}`, message, see: rule.see }),
    );
    return out;
  });
}

/**
 * The level of each namespace for one Pod Security Admission mode, from Namespace objects'
 * `pod-security.kubernetes.io/<mode>` labels (unlabelled: privileged).
 */
export function enforcedLevels(namespaces: any[], mode: 'enforce' | 'warn' = 'enforce'): Map<string, PodSecurityLevel> {
  return new Map(
    namespaces
      .filter((n) => n.kind === 'Namespace')
      .map((n) => [n.metadata.name, (n.metadata.labels?.[`pod-security.kubernetes.io/${mode}`] ?? 'privileged') as PodSecurityLevel]),
  );
}
