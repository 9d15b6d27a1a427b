import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientNodeCoreRestart } from '../src/harbor/core-restart.js';
import { reloadOnSettingsChange, type CoreRestartApi } from '../src/harbor/settings-reload.js';

const TARGET = { namespace: 'harbor', secret: 'harbor-user-settings', key: 'CONFIG_OVERWRITE_JSON', deployment: 'harbor-core', annotation: 'harbor-platform.io/user-settings-secret-sha256' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SETTINGS = (password: string) => JSON.stringify({ auth_mode: 'ldap_auth', ldap_search_password: password });

/** A namespace holding the settings Secret and core's Deployment, as the reload sees them. */
class FakeCluster implements CoreRestartApi {
  readonly patches: Record<string, string>[] = [];
  constructor(public secret: Record<string, string> | undefined, public annotations: Record<string, string> | undefined) {}
  async readSecret() {
    return this.secret;
  }
  async podTemplateAnnotations() {
    return this.annotations && { ...this.annotations };
  }
  async annotatePodTemplate(_ns: string, _d: string, a: Record<string, string>) {
    this.patches.push(a);
    this.annotations = { ...this.annotations, ...a };
  }
}

describe('reloadOnSettingsChange', () => {
  it('restarts core when the bind password was rotated (the synced Secret changed), then leaves it alone', async () => {
    const cluster = new FakeCluster({ CONFIG_OVERWRITE_JSON: SETTINGS('old') }, { 'checksum/configmap': 'x', [TARGET.annotation]: sha(SETTINGS('old')) });
    expect(await reloadOnSettingsChange(cluster, TARGET)).toEqual({ outcome: 'unchanged', checksum: sha(SETTINGS('old')) });
    expect(cluster.patches).toEqual([]);
    cluster.secret = { CONFIG_OVERWRITE_JSON: SETTINGS('rotated') };
    expect(await reloadOnSettingsChange(cluster, TARGET)).toEqual({ outcome: 'restarted', checksum: sha(SETTINGS('rotated')), previous: sha(SETTINGS('old')) });
    expect(cluster.patches).toEqual([{ [TARGET.annotation]: sha(SETTINGS('rotated')) }]);
    expect(await reloadOnSettingsChange(cluster, TARGET)).toMatchObject({ outcome: 'unchanged' });
    expect(cluster.patches).toHaveLength(1);
  });

  it('restarts core once on its first run, when core carries no checksum yet', async () => {
    const cluster = new FakeCluster({ CONFIG_OVERWRITE_JSON: SETTINGS('p') }, {});
    expect(await reloadOnSettingsChange(cluster, TARGET)).toEqual({ outcome: 'restarted', checksum: sha(SETTINGS('p')) });
  });

  it('does nothing before Harbor is installed', async () => {
    expect(await reloadOnSettingsChange(new FakeCluster({ CONFIG_OVERWRITE_JSON: '{}' }, undefined), TARGET)).toEqual({ outcome: 'no-deployment' });
  });

  it('fails, naming the ExternalSecret to look at, when the Secret or its key is missing; never restarts then', async () => {
    for (const secret of [undefined, { other: 'x' }]) {
      const cluster = new FakeCluster(secret, {});
      await expect(reloadOnSettingsChange(cluster, TARGET)).rejects.toThrow('Secret harbor/harbor-user-settings has no key CONFIG_OVERWRITE_JSON: check its ExternalSecret (kubectl describe externalsecret -n harbor harbor-user-settings)');
      expect(cluster.patches).toEqual([]);
    }
  });
});

describe('ClientNodeCoreRestart (the real adapter, against an API server stand-in on loopback)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('reads the Secret and the Deployment and sets the annotation with a strategic merge patch of the pod template', async () => {
    const requests: { method: string; url: string; type?: string; body: string }[] = [];
    let annotations: Record<string, string> = { 'checksum/configmap': 'x' };
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body });
        res.setHeader('content-type', 'application/json');
        if (req.url === '/api/v1/namespaces/harbor/secrets/harbor-user-settings') {
          res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'harbor-user-settings' }, data: { CONFIG_OVERWRITE_JSON: Buffer.from(SETTINGS('new')).toString('base64') } }));
        } else if (req.url === '/apis/apps/v1/namespaces/harbor/deployments/harbor-core') {
          if (req.method === 'PATCH') annotations = { ...annotations, ...JSON.parse(body).spec.template.metadata.annotations };
          res.end(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'harbor-core' }, spec: { selector: {}, template: { metadata: { annotations } } } }));
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'test' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const result = await reloadOnSettingsChange(new ClientNodeCoreRestart(kc), TARGET);
    expect(result).toEqual({ outcome: 'restarted', checksum: sha(SETTINGS('new')) });
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.type).toBe('application/strategic-merge-patch+json');
    expect(JSON.parse(patch.body)).toEqual({ spec: { template: { metadata: { annotations: { [TARGET.annotation]: sha(SETTINGS('new')) } } } } });
    expect(annotations).toEqual({ 'checksum/configmap': 'x', [TARGET.annotation]: sha(SETTINGS('new')) });
    expect(await new ClientNodeCoreRestart(kc).podTemplateAnnotations('harbor', 'missing')).toBeUndefined();
  });
});
