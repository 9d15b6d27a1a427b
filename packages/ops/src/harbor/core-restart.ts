import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { CoreRestartApi } from './settings-reload.js';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { notFound, readSecretData } from '../kube/secret-data.js';


/** CoreRestartApi over @kubernetes/client-node (in the cluster: the pod's service account). */
export class ClientNodeCoreRestart implements CoreRestartApi {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(kc?: KubeConfig) {
    const config = kc ?? loadKubeconfig();
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
  }

  readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    return readSecretData(this.core, namespace, name);
  }

  async podTemplateAnnotations(namespace: string, deployment: string): Promise<Record<string, string> | undefined> {
    try {
      const d = await this.apps.readNamespacedDeployment({ name: deployment, namespace });
      return d.spec?.template.metadata?.annotations ?? {};
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  async annotatePodTemplate(namespace: string, deployment: string, annotations: Record<string, string>): Promise<void> {
    await this.apps.patchNamespacedDeployment(
      { name: deployment, namespace, body: { spec: { template: { metadata: { annotations } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
  }
}
