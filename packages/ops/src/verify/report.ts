import type { Digest } from '../registry/digest.js';

export interface MissingManifest {
  readonly repository: string;
  readonly digest: Digest;
}
export interface CorruptManifest extends MissingManifest {
  /** sha256 of what the registry served. */
  readonly actual: Digest;
}
export interface RepointedTag {
  readonly repository: string;
  readonly tag: string;
  readonly expected: Digest;
  /** What the tag resolves to now. */
  readonly actual: string;
}
export interface MissingTag {
  readonly repository: string;
  readonly tag: string;
  readonly expected: Digest;
}
export interface MissingBlob {
  readonly repository: string;
  readonly digest: Digest;
  /** Why it counts as missing (404, or announced but never sent). */
  readonly reason: string;
}
export interface CorruptBlob {
  readonly repository: string;
  readonly digest: Digest;
  readonly reason: string;
  /** sha256 of the bytes received, when the transfer completed. */
  readonly actual?: Digest;
  readonly expectedSize: number;
  readonly actualSize?: number;
}

/** The figures that count. */
export interface VerifyFigures {
  readonly repositories: number;
  readonly tags: number;
  readonly manifests: number;
  /** (repository, blob) pairs checked. */
  readonly blobs: number;
  /** Distinct blobs streamed and re-hashed. */
  readonly blobsHashed: number;
  /** Tags, manifests and blobs checked. */
  readonly artifactsChecked: number;
  /** Bytes streamed through sha256 (blobs and manifests). */
  readonly bytesHashed: number;
  readonly durationMs: number;
}

/** What verify found: failures (each by digest), extras (reported, not failures), figures. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly registry: string;
  readonly inventoryTakenAt: string;
  readonly missingManifests: MissingManifest[];
  readonly corruptManifests: CorruptManifest[];
  readonly repointedTags: RepointedTag[];
  readonly missingTags: MissingTag[];
  readonly missingBlobs: MissingBlob[];
  readonly corruptBlobs: CorruptBlob[];
  readonly extra: { readonly repositories: string[]; readonly tags: { repository: string; tag: string }[] };
  readonly warnings: string[];
  readonly figures: VerifyFigures;
}

/** Number of failures in a report. */
export function failureCount(r: VerifyReport): number {
  const lists = [r.missingManifests, r.corruptManifests, r.repointedTags, r.missingTags, r.missingBlobs, r.corruptBlobs];
  return lists.reduce((n, list) => n + list.length, 0);
}

const MiB = 1024 * 1024;

/** Human-readable report: one line per failure, then extras and figures. */
export function formatVerifyReport(r: VerifyReport): string {
  const lines: string[] = [];
  for (const m of r.missingManifests) lines.push(`missing manifest ${m.digest} in ${m.repository}`);
  for (const m of r.corruptManifests) lines.push(`corrupt manifest ${m.digest} in ${m.repository}: served bytes hash to ${m.actual}`);
  for (const t of r.repointedTags) lines.push(`re-pointed tag ${t.repository}:${t.tag}: expected ${t.expected}, now ${t.actual}`);
  for (const t of r.missingTags) lines.push(`missing tag ${t.repository}:${t.tag} (expected ${t.expected})`);
  for (const b of r.missingBlobs) lines.push(`missing blob ${b.digest} in ${b.repository}: ${b.reason}`);
  for (const b of r.corruptBlobs) lines.push(`corrupt blob ${b.digest} in ${b.repository}: ${b.reason}`);
  for (const name of r.extra.repositories) lines.push(`extra repository ${name} (not in the inventory; not a failure)`);
  for (const t of r.extra.tags) lines.push(`extra tag ${t.repository}:${t.tag} (not in the inventory; not a failure)`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const f = r.figures;
  const seconds = f.durationMs / 1000;
  lines.push(
    `${r.ok ? 'verified' : 'FAILED'}: ${failureCount(r)} failure(s); checked ${f.artifactsChecked} artifacts ` +
      `(${f.repositories} repositories, ${f.tags} tags, ${f.manifests} manifests, ${f.blobs} blob links, ${f.blobsHashed} blobs re-hashed); ` +
      `hashed ${(f.bytesHashed / MiB).toFixed(1)} MiB in ${seconds.toFixed(2)} s` +
      (seconds > 0 ? ` (${(f.bytesHashed / MiB / seconds).toFixed(1)} MiB/s)` : ''),
  );
  return lines.join('\n');
}
