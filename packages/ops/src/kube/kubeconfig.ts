import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError } from '../errors.js';

/** The EKS cluster a kubeconfig should point at, when the environment is known. */
export interface ClusterHint {
  /** EKS cluster name, e.g. `harbor-platform-dev`. */
  readonly cluster: string;
  /** AWS region, e.g. `eu-central-1`. */
  readonly region: string;
}

export interface KubeconfigOptions {
  /** Names the fix's cluster and region. @default placeholders `<cluster>`, `<region>` */
  readonly hint?: ClusterHint;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default $HOME, else os.homedir() */
  readonly home?: string;
  /** The in-cluster service-account token; its presence means "running in a pod". @default Kubernetes' path */
  readonly serviceAccountToken?: string;
}

/** Where Kubernetes mounts a pod's service-account token. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The command that writes a kubeconfig for the environment's cluster. */
export function updateKubeconfigCommand(hint?: ClusterHint): string {
  return `aws eks update-kubeconfig --name ${hint?.cluster ?? '<cluster>'} --region ${hint?.region ?? '<region>'}`;
}

/**
 * The kubeconfig kubectl would use: the files in $KUBECONFIG, else ~/.kube/config, else the
 * pod's service account. Unlike `KubeConfig.loadFromDefault` (which throws a bare ENOENT, or
 * falls back to http://localhost:8080 when there is no file), a missing, unreadable or malformed
 * kubeconfig, or one without a current context, is refused with one line that names the file
 * and how to write it.
 * @throws KubeconfigError `KUBECONFIG=<file>: no such file: run "aws eks update-kubeconfig ..."`
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
export function loadKubeconfig(options: KubeconfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const fix = `run "${updateKubeconfigCommand(options.hint)}"${options.hint ? '' : ' (the cluster is harbor-platform-<environment>)'}`;
  const kc = new KubeConfig();
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) {
    fromEnv.forEach((file, i) => {
      const one = i === 0 ? kc : new KubeConfig();
      loadFile(one, file, `KUBECONFIG=${env.KUBECONFIG}: ${file}`, fix);
      if (one !== kc) kc.mergeConfig(one);
    });
    return withContext(kc, `KUBECONFIG=${env.KUBECONFIG}`, fix);
  }
  const file = join(options.home ?? (env.HOME || homedir()), '.kube', 'config');
  if (existsSync(file)) {
    loadFile(kc, file, `~/.kube/config (${file})`, fix);
    return withContext(kc, `~/.kube/config (${file})`, fix);
  }
  if (existsSync(options.serviceAccountToken ?? SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
    return kc;
  }
  throw new KubeconfigError(`no kubeconfig: KUBECONFIG is not set and ~/.kube/config (${file}) does not exist: ${fix}`);
}

function loadFile(kc: KubeConfig, file: string, name: string, fix: string): void {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)'
        : code === 'EISDIR' ? 'is a directory, not a file'
          : code ? `cannot be read (${code})`
            : `is not a kubeconfig (${(err as Error).message.split('\n')[0]})`;
    throw new KubeconfigError(`${name}: ${problem}: ${fix}`);
  }
}

function withContext(kc: KubeConfig, name: string, fix: string): KubeConfig {
  if (!kc.getCurrentCluster()) {
    const current = kc.getCurrentContext();
    const problem = current ? `its current context "${current}" names no cluster` : 'has no current context';
    throw new KubeconfigError(`${name}: ${problem}: ${fix}, or "kubectl config use-context <context>"`);
  }
  return kc;
}
