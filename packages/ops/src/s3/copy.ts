import pLimit from 'p-limit';
import { confirmedBySourceEtag, type CopyItem, type CopyPlan } from './copy-plan.js';
import { SOURCE_ETAG_METADATA, s3Reason, type ObjectStore, type StoredObject } from './store.js';

/** What an incremental copy did. */
export interface CopyResult {
  readonly copied: { readonly key: string; readonly size: number; readonly reason: CopyItem['reason'] }[];
  readonly bytes: number;
  /** Objects that could not be copied, each with the store's reason. */
  readonly failed: { readonly key: string; readonly reason: string }[];
  readonly unchanged: number;
}

/** Options of {@link executeCopy}. */
export interface CopyOptions {
  /** Objects in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Called after each object. */
  readonly onProgress?: (done: number, total: number, bytes: number) => void;
  /** Maps a source key to its key in the target. @default the same key */
  readonly targetKey?: (key: string) => string;
}

/**
 * Carries out a copy plan: settles the doubtful objects by the source ETag recorded
 * on the copy, then copies. Never throws for one object: failures are listed.
 */
export async function executeCopy(source: ObjectStore, target: ObjectStore, plan: CopyPlan, options: CopyOptions = {}): Promise<CopyResult> {
  const limit = pLimit(options.concurrency ?? 8);
  const targetKey = options.targetKey ?? ((k: string) => k);
  const failed: { key: string; reason: string }[] = [];
  let unchanged = plan.unchanged;
  const items: CopyItem[] = [...plan.copy];
  await Promise.all(
    plan.confirm.map((object) =>
      limit(async () => {
        try {
          const meta = await target.metadata(targetKey(object.key));
          if (confirmedBySourceEtag(object, meta?.[SOURCE_ETAG_METADATA])) unchanged++;
          else items.push({ object, reason: 'etag' });
        } catch (err) {
          failed.push({ key: object.key, reason: s3Reason(err) });
        }
      }),
    ),
  );
  const copied: CopyResult['copied'][number][] = [];
  let bytes = 0;
  let done = 0;
  await Promise.all(
    items.map(({ object, reason }) =>
      limit(async () => {
        try {
          await target.copyFrom(source, object, targetKey(object.key));
          copied.push({ key: object.key, size: object.size, reason });
          bytes += object.size;
        } catch (err) {
          failed.push({ key: object.key, reason: s3Reason(err) });
        }
        options.onProgress?.(++done, items.length, bytes);
      }),
    ),
  );
  const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
  return { copied: copied.sort(byKey), bytes, failed: failed.sort(byKey), unchanged };
}

/** Copies the given objects as they are, listing failures (the restore's blob copy). */
export async function copyAll(
  source: ObjectStore,
  target: ObjectStore,
  objects: readonly StoredObject[],
  options: CopyOptions = {},
): Promise<CopyResult> {
  return executeCopy(source, target, { copy: objects.map((object) => ({ object, reason: 'missing' as const })), confirm: [], unchanged: 0 }, options);
}
