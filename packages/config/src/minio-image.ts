import { PlanError } from './errors.js';

/**
 * Facts about MinIO images. The community edition stopped publishing binaries and
 * images in October 2025; GHSA-jjjj-jwhf-8rgr was fixed in a source-only release
 * that month. An image is named by its RELEASE tag, which carries its build time.
 */
export const SECURITY_FIX_RELEASE = 'RELEASE.2025-10-15T17-29-55Z';

const RELEASE_TAG = /:(RELEASE\.(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z)/;

export function releaseDate(tag: string): Date | undefined {
  const m = RELEASE_TAG.exec(`:${tag}`);
  if (!m) return undefined;
  return new Date(`${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}Z`);
}

/** The RELEASE tag of an image reference, its date, and the date of the security fix. */
export function minioRelease(image: string): { tag: string; date: Date; fixDate: Date } | undefined {
  const m = RELEASE_TAG.exec(image);
  if (!m) return undefined;
  return { tag: m[1]!, date: releaseDate(m[1]!)!, fixDate: releaseDate(SECURITY_FIX_RELEASE)! };
}

/** `100Gi` -> 100; `512Mi` -> 0.5; `2Ti` -> 2048. */
export function driveSizeGiB(size: string): number {
  const m = /^(\d+)(Mi|Gi|Ti)$/.exec(size);
  if (!m) throw new PlanError(`not a size: ${size}`);
  const n = Number(m[1]);
  return m[2] === 'Mi' ? n / 1024 : m[2] === 'Ti' ? n * 1024 : n;
}
