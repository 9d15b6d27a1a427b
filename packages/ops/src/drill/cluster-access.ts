import { HARBOR_REGISTRY_USER, HARBOR_RELEASE, HARBOR_SECRET_KEYS, HARBOR_SECRETS, MINIO_API_PORT, type EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';
import { registryOnlyDrill } from './isolation.js';
import type { DrillAccess } from './run.js';
import type { KubeApi } from '../kube/api.js';

/** Harbor core's container port (HTTP): the restored Harbor is reached only through a port-forward. */
const HARBOR_CORE_PORT = 8080;
/** The registry's own port (distribution API, basic auth with Harbor's registry user). */
const HARBOR_REGISTRY_PORT = 5000;
/**
 * The fixed local port of that forward. The restored core's EXT_ENDPOINT is set to it
 * (resource modifier), so the token realm it hands out points back through the forward.
 */
export const DRILL_HARBOR_LOCAL_PORT = 18080;

/**
 * Reaches the restored MinIO and Harbor from the runner: port-forwards to their pods and
 * the credentials from the restored Secrets (Velero restored them with the namespace).
 */
export class ClusterDrillAccess implements DrillAccess {
  readonly harborUrl = `http://127.0.0.1:${DRILL_HARBOR_LOCAL_PORT}`;

  constructor(private readonly kube: KubeApi, private readonly plan: EnvironmentPlan) {}

  async open(mapping: Record<string, string>) {
    const harborNs = mapping[this.plan.harbor.namespace]!;
    const minioNs = mapping[this.plan.minio.namespace]!;
    const s3Secret = await this.kube.readSecret(harborNs, HARBOR_SECRETS.registryS3);
    if (!s3Secret?.[HARBOR_SECRET_KEYS.s3AccessKey] || !s3Secret[HARBOR_SECRET_KEYS.s3SecretKey]) {
      throw new DrillError(`secret ${harborNs}/${HARBOR_SECRETS.registryS3} was not restored with the S3 keys`);
    }
    const target = await this.registryTarget(harborNs);
    const minio = await this.kube.forwardService(minioNs, this.plan.minio.serviceName, MINIO_API_PORT);
    let harbor;
    try {
      harbor = await this.kube.forwardService(harborNs, target.service, target.port, DRILL_HARBOR_LOCAL_PORT);
    } catch (err) {
      await minio.close();
      throw err;
    }
    return {
      s3: {
        endpoint: minio.url,
        region: this.plan.registryStorage.region,
        bucket: this.plan.minio.bucket,
        accessKeyId: s3Secret[HARBOR_SECRET_KEYS.s3AccessKey]!,
        secretAccessKey: s3Secret[HARBOR_SECRET_KEYS.s3SecretKey]!,
      },
      registry: { url: harbor.url, username: target.username, password: target.password },
      close: async () => {
        await Promise.allSettled([minio.close(), harbor.close()]);
      },
    };
  }

  /**
   * What verify talks to in the restored Harbor: core (the whole Harbor, as users see it)
   * when the database and Redis are the drill's own; the registry alone, through the
   * distribution API, when core is not started because it would open production's
   * database or Redis (registryOnlyDrill).
   */
  private async registryTarget(harborNs: string): Promise<{ service: string; port: number; username: string; password: string }> {
    if (registryOnlyDrill(this.plan)) {
      const internal = await this.kube.readSecret(harborNs, HARBOR_SECRETS.internal);
      const password = internal?.[HARBOR_SECRET_KEYS.registryPassword];
      if (!password) throw new DrillError(`secret ${harborNs}/${HARBOR_SECRETS.internal} was not restored with ${HARBOR_SECRET_KEYS.registryPassword}`);
      return { service: `${HARBOR_RELEASE}-registry`, port: HARBOR_REGISTRY_PORT, username: HARBOR_REGISTRY_USER, password };
    }
    const admin = await this.kube.readSecret(harborNs, HARBOR_SECRETS.adminPassword);
    const password = admin?.[HARBOR_SECRET_KEYS.adminPassword];
    if (!password) throw new DrillError(`secret ${harborNs}/${HARBOR_SECRETS.adminPassword} was not restored`);
    return { service: `${HARBOR_RELEASE}-core`, port: HARBOR_CORE_PORT, username: 'admin', password };
  }
}
