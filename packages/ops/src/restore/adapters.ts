import { HARBOR_SECRET_KEYS, HARBOR_SECRETS, MINIO_API_PORT, type EnvironmentPlan } from '@harbor-platform/config';
import { BackupError } from '../errors.js';
import type { LiveAccess, RestoreDataPath } from './run.js';
import { listInventories, loadInventory, registryBackup } from '../backup/index.js';
import type { KubeApi } from '../kube/api.js';
import { RegistryClient } from '../registry/index.js';
import { ObjectStore } from '../s3/index.js';
import type { DataTargets, RegistryCopyRef } from '../steps/data-path.js';
import { RegistryDataPath, type RegistryDataPathProps } from '../steps/registry-data-path.js';

/** Inventory names are their times (`2026-11-25T01-30-00.000Z.json`); this reads one back. */
export function inventoryTime(name: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}(?:\.\d+)?)Z\.json$/.exec(name);
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : undefined;
}

/** The drill's data path, plus picking the copy of a backup's time and the safety backup. */
export class RegistryRestoreDataPath extends RegistryDataPath implements RestoreDataPath {
  private readonly copyStore: ObjectStore;

  constructor(props: RegistryDataPathProps) {
    super(props);
    this.copyStore = new ObjectStore(props.copy);
  }

  async copyAt(at: Date): Promise<RegistryCopyRef | undefined> {
    for (const name of await listInventories(this.copyStore)) {
      const t = inventoryTime(name);
      if (t && t.getTime() <= at.getTime()) {
        const inventory = await loadInventory(this.copyStore, name);
        return { inventory: name, takenAt: new Date(inventory.takenAt) };
      }
    }
    return undefined;
  }

  async safetyBackup(live: DataTargets): Promise<{ inventory: string }> {
    const source = new ObjectStore({ bucket: live.s3.bucket, prefix: live.s3.prefix ?? '', endpoint: { endpoint: live.s3.endpoint, region: live.s3.region, accessKeyId: live.s3.accessKeyId, secretAccessKey: live.s3.secretAccessKey } });
    const { username, password } = live.registry;
    const credentials = username && password ? { username, password } : undefined;
    const result = await registryBackup({ registry: new RegistryClient({ url: live.registry.url, credentials }), source, target: this.copyStore });
    if (!result.inventoryName) throw new BackupError(`registry safety backup incomplete: ${result.copy.failed.length} object(s) failed to copy`);
    return { inventory: result.inventoryName };
  }
}

/** The live environment: MinIO through a port-forward, the registry at its public URL. */
export class ClusterLiveAccess implements LiveAccess {
  constructor(private readonly kube: KubeApi, private readonly plan: EnvironmentPlan) {}

  async open() {
    const ns = this.plan.harbor.namespace;
    const s3Secret = await this.kube.readSecret(ns, HARBOR_SECRETS.registryS3);
    const admin = await this.kube.readSecret(ns, HARBOR_SECRETS.adminPassword);
    const accessKeyId = s3Secret?.[HARBOR_SECRET_KEYS.s3AccessKey];
    const secretAccessKey = s3Secret?.[HARBOR_SECRET_KEYS.s3SecretKey];
    if (!accessKeyId || !secretAccessKey) throw new BackupError(`secret ${ns}/${HARBOR_SECRETS.registryS3} has no S3 keys`);
    const minio = await this.kube.forwardService(this.plan.minio.namespace, this.plan.minio.serviceName, MINIO_API_PORT);
    return {
      s3: { endpoint: minio.url, region: this.plan.registryStorage.region, bucket: this.plan.minio.bucket, accessKeyId, secretAccessKey },
      registry: { url: this.plan.harbor.url, username: 'admin', password: admin?.[HARBOR_SECRET_KEYS.adminPassword] },
      close: () => minio.close(),
    };
  }
}
