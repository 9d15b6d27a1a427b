import type { DrillDataPath, DataTargets, FillResult, RegistryCopyRef, VerifyOutcome } from './data-path.js';
import { listInventories, loadInventory, registryRestore } from '../backup/index.js';
import { RegistryClient } from '../registry/index.js';
import { ObjectStore, type S3Location } from '../s3/index.js';
import { formatVerifyReport, verifyInventory, type HashSelection } from '../verify/index.js';
import { sampleImages, type ImageRef } from '../zone-loss/images.js';

export interface RegistryDataPathProps {
  /** Where registry-backup writes (plan.backups.registryData bucket and prefix). */
  readonly copy: S3Location;
  /** Blobs to re-hash while verifying. @default every blob: a drill proves the data, not a sample */
  readonly selection?: HashSelection;
  readonly progress?: (line: string) => void;
}

/** The drill's data path through the very functions `registry-restore` and `verify` run. */
export class RegistryDataPath implements DrillDataPath {
  private readonly copy: ObjectStore;

  constructor(private readonly props: RegistryDataPathProps) {
    this.copy = new ObjectStore(props.copy);
  }

  async latestCopy(): Promise<RegistryCopyRef | undefined> {
    const [newest] = await listInventories(this.copy);
    if (!newest) return undefined;
    const inventory = await loadInventory(this.copy, newest);
    return { inventory: newest, takenAt: new Date(inventory.takenAt) };
  }

  async restoreCopy(copy: RegistryCopyRef, s3: DataTargets['s3']): Promise<FillResult> {
    const target = new ObjectStore({
      bucket: s3.bucket,
      prefix: s3.prefix ?? '',
      endpoint: { endpoint: s3.endpoint, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    let reported = 0;
    const result = await registryRestore({
      source: this.copy,
      target,
      inventory: copy.inventory,
      onProgress: (done, total, bytes) => {
        // A line per tenth, so a long restore shows progress without flooding the log.
        if (done === total || done - reported >= Math.max(1, Math.ceil(total / 10))) {
          reported = done;
          this.props.progress?.(`  restored ${done}/${total} objects (${(bytes / 1024 ** 2).toFixed(1)} MiB)`);
        }
      },
    });
    const objects = result.blobs.copied.length + result.links;
    return { objects, bytes: result.blobs.bytes, missing: [...result.missing], failed: [...result.failed] };
  }

  async verify(copy: RegistryCopyRef, registry: DataTargets['registry']): Promise<VerifyOutcome> {
    const inventory = await loadInventory(this.copy, copy.inventory);
    const credentials = registry.username && registry.password ? { username: registry.username, password: registry.password } : undefined;
    const client = new RegistryClient({ url: registry.url, credentials });
    const report = await verifyInventory(client, inventory, { selection: this.props.selection ?? { all: true } });
    const lines = formatVerifyReport(report).split('\n');
    return {
      ok: report.ok,
      summary: lines[lines.length - 1]!,
      problems: lines.slice(0, -1).filter((l) => !/^extra |^warning: /.test(l)),
      artifactsChecked: report.figures.artifactsChecked,
      bytesHashed: report.figures.bytesHashed,
    };
  }

  async sampleImages(copy: RegistryCopyRef, count: number): Promise<ImageRef[]> {
    return sampleImages(await loadInventory(this.copy, copy.inventory), count);
  }
}
