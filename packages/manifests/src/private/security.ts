import type { k8s } from 'cdk8s-plus-33';

/**
 * The Pod Security "restricted" profile, as the platform's own workloads run:
 * non-root, no privilege escalation, no capabilities, the runtime's seccomp profile,
 * and a read-only root file system (writable paths are explicit emptyDir volumes).
 */
export function restrictedPod(uid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainer(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    privileged: false,
  };
}

/** Label of the namespace name that Kubernetes sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Velero skips an object with this label, and with a PVC its volume snapshot too. */
export const VELERO_EXCLUDE_LABEL = 'velero.io/exclude-from-backup';
