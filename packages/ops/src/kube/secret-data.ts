import type { CoreV1Api } from '@kubernetes/client-node';

/** True when the Kubernetes API answered 404 (the object does not exist). */
export const notFound = (err: unknown): boolean => (err as { code?: number })?.code === 404;

/**
 * A Secret's data, each value decoded from base64 as UTF-8; undefined when the Secret does not
 * exist. Other API errors are thrown as the client gives them.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1/
 */
export async function readSecretData(core: CoreV1Api, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  try {
    const secret = await core.readNamespacedSecret({ name, namespace });
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}
