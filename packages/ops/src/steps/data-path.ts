import type { ImageRef } from '../zone-loss/images.js';

/** A registry-data copy (objects in the backup bucket) and the inventory taken with it. */
export interface RegistryCopyRef {
  /** The inventory's name in the copy. */
  readonly inventory: string;
  readonly takenAt: Date;
}

/** An S3 bucket to fill and a registry to check, as the drill reaches them. */
export interface DataTargets {
  readonly s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; prefix?: string };
  readonly registry: { url: string; username?: string; password?: string };
}

export interface VerifyOutcome {
  readonly ok: boolean;
  /** One line: what was checked and what failed. */
  readonly summary: string;
  /** Each problem exactly, such as `missing blob sha256:...`. */
  readonly problems: string[];
  readonly artifactsChecked: number;
  readonly bytesHashed: number;
}

/** What filling the empty bucket did; `missing` blobs (named by digest) fail the drill. */
export interface FillResult {
  readonly objects: number;
  readonly bytes: number;
  readonly missing: string[];
  readonly failed: { key: string; reason: string }[];
}

/**
 * The registry half of a restore: the same functions `registry-restore` and `verify`
 * run. The drill calls it after Velero has restored the objects; the local integration
 * test calls it without Kubernetes.
 */
export interface DataPath {
  latestCopy(): Promise<RegistryCopyRef | undefined>;
  /** Fills the (empty) target bucket from the copy. */
  restoreCopy(copy: RegistryCopyRef, target: DataTargets['s3']): Promise<FillResult>;
  verify(copy: RegistryCopyRef, registry: DataTargets['registry']): Promise<VerifyOutcome>;
}

/** The drill's data path: also the images its AZ-loss step pulls back. */
export interface DrillDataPath extends DataPath {
  /** Up to `count` image manifests of the copy's inventory, with their blobs. */
  sampleImages(copy: RegistryCopyRef, count: number): Promise<ImageRef[]>;
}
