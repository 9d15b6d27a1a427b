import type { StoredObject } from './store.js';

/** Why an object is copied. */
export type CopyReason = 'missing' | 'size' | 'etag';

export interface CopyItem {
  readonly object: StoredObject;
  readonly reason: CopyReason;
}

/** What an incremental copy has to do. */
export interface CopyPlan {
  /** Objects the target lacks or holds with another size or ETag. */
  readonly copy: CopyItem[];
  /**
   * Same size, different ETag, not content-addressed: the ETags may just not be
   * comparable (multipart, SSE-KMS), so the copy's recorded source ETag decides.
   */
  readonly confirm: StoredObject[];
  /** Objects already identical in the target. */
  readonly unchanged: number;
}

/** Options of {@link planCopy}. */
export interface CopyPlanOptions {
  /** True for keys whose name carries a digest of their content: equal size then means equal content. */
  readonly contentAddressed?: (key: string) => boolean;
}

/**
 * Decides which source objects to copy: missing from the target, another size, or
 * (for objects whose key does not name their content) another ETag.
 */
export function planCopy(source: readonly StoredObject[], target: readonly StoredObject[], options: CopyPlanOptions = {}): CopyPlan {
  const existing = new Map(target.map((o) => [o.key, o]));
  const copy: CopyItem[] = [];
  const confirm: StoredObject[] = [];
  let unchanged = 0;
  for (const object of source) {
    const there = existing.get(object.key);
    if (!there) copy.push({ object, reason: 'missing' });
    else if (there.size !== object.size) copy.push({ object, reason: 'size' });
    else if (there.etag === object.etag || options.contentAddressed?.(object.key)) unchanged++;
    else confirm.push(object);
  }
  return { copy, confirm, unchanged };
}

/** True when the copy's recorded source ETag shows it holds this version of the object. */
export function confirmedBySourceEtag(object: StoredObject, recordedSourceEtag: string | undefined): boolean {
  return recordedSourceEtag !== undefined && recordedSourceEtag === object.etag;
}
