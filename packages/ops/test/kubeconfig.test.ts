import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironmentFile } from '@harbor-platform/config';
import { describe, expect, it } from 'vitest';
import { runCliWithEnv } from './support/cli-env.js';
import { loadKubeconfig } from '../src/kube/kubeconfig.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const devRegion = () => {
  const r = loadEnvironmentFile(join(REPO, 'environments', 'dev.yaml'));
  if (!r.ok) throw new Error('environments/dev.yaml is not valid');
  return r.config.aws.region;
};

/** Runs the CLI's entry with these environment variables (the others as they are); returns the exit code, stdout and stderr. */
const cli = (args: string[], env: Record<string, string | undefined>) => runCliWithEnv(args, env, /^$/);

const dir = () => mkdtempSync(join(tmpdir(), 'hp-kubeconfig-'));
const NO_POD = { serviceAccountToken: '/nonexistent/token' };

/** A kubeconfig as `aws eks update-kubeconfig` writes it (exec credential plugin), trimmed to one context. */
const EKS_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com
  name: arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev
contexts:
- context:
    cluster: arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev
    user: arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev
  name: arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev
current-context: arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev
users:
- name: arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, eu-central-1, eks, get-token, --cluster-name, harbor-platform-dev, --output, json]
`;

describe('a missing or unreadable kubeconfig is one line naming it and the fix', () => {
  it('restore --env dev with KUBECONFIG at a missing file names the file and the update-kubeconfig of dev', async () => {
    const missing = join(dir(), 'nope');
    const r = await cli(['restore', '--env', 'dev', '--backup', 'b1', '--namespaces', 'harbor', '--confirm', 'dev'], { KUBECONFIG: missing });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`harbor-platform restore: KUBECONFIG=${missing}: ${missing}: no such file: run "aws eks update-kubeconfig --name harbor-platform-dev --region ${devRegion()}"`);
  }, 60_000);

  it('harbor-settings-reload without any kubeconfig names KUBECONFIG, ~/.kube/config and the fix with placeholders', async () => {
    const home = dir();
    const r = await cli(['harbor-settings-reload', '--namespace', 'harbor'], { KUBECONFIG: undefined, HOME: home });
    // This machine is no pod: without a file there is nothing to load.
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `harbor-platform harbor-settings-reload: no kubeconfig: KUBECONFIG is not set and ~/.kube/config (${home}/.kube/config) does not exist: ` +
        'run "aws eks update-kubeconfig --name <cluster> --region <region>" (the cluster is harbor-platform-<environment>)',
    );
  });

  it('names a directory, malformed YAML and a kubeconfig without a current context', () => {
    const d = dir();
    const hint = { cluster: 'harbor-platform-prod', region: 'eu-west-1' };
    const fix = 'run "aws eks update-kubeconfig --name harbor-platform-prod --region eu-west-1"';
    expect(() => loadKubeconfig({ env: { KUBECONFIG: d }, hint, ...NO_POD })).toThrow(`KUBECONFIG=${d}: ${d}: is a directory, not a file: ${fix}`);
    const broken = join(d, 'broken');
    writeFileSync(broken, 'clusters: [\n');
    expect(() => loadKubeconfig({ env: { KUBECONFIG: broken }, hint, ...NO_POD })).toThrow(new RegExp(`^KUBECONFIG=${broken}: ${broken}: is not a kubeconfig \\(.+\\): ${fix.replace(/[".]/g, '.')}$`));
    const home = join(d, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), EKS_KUBECONFIG.replace(/^current-context: .*$/m, ''));
    expect(() => loadKubeconfig({ env: {}, home, hint, ...NO_POD })).toThrow(`~/.kube/config (${home}/.kube/config): has no current context: ${fix}, or "kubectl config use-context <context>"`);
  });

  it('loads the kubeconfig update-kubeconfig writes, from KUBECONFIG and from ~/.kube/config', () => {
    const d = dir();
    writeFileSync(join(d, 'eks'), EKS_KUBECONFIG);
    expect(loadKubeconfig({ env: { KUBECONFIG: join(d, 'eks') }, ...NO_POD }).getCurrentCluster()?.server).toBe('https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com');
    mkdirSync(join(d, '.kube'));
    writeFileSync(join(d, '.kube', 'config'), EKS_KUBECONFIG);
    expect(loadKubeconfig({ env: {}, home: d, ...NO_POD }).getCurrentContext()).toBe('arn:aws:eks:eu-central-1:123456789012:cluster/harbor-platform-dev');
  });
});
