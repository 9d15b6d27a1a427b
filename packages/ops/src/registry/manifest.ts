import { RegistryError } from '../errors.js';
import { parseDigest, type Digest } from './digest.js';

/** Manifest media types the client asks for and understands. */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

/** The `Accept` header for manifest requests: images and indexes, OCI and Docker. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList].join(', ');

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);

/** A content descriptor: what a manifest says about one thing it points to. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  /** Bytes. */
  readonly size: number;
}

/** What a manifest references, split by how it is stored. */
export interface ManifestReferences {
  readonly mediaType: string;
  /** True for an image index / manifest list. */
  readonly isIndex: boolean;
  /** Blobs: the config and the layers of an image manifest. */
  readonly blobs: Descriptor[];
  /** Child manifests of an index. */
  readonly manifests: Descriptor[];
  /** The manifest this one refers to (OCI 1.1 `subject`), if any. */
  readonly subject?: Descriptor;
}

/**
 * Reads what a manifest references. `contentType` is the registry's `Content-Type`,
 * used when the document omits `mediaType` (allowed for OCI manifests).
 */
export function manifestReferences(bytes: Uint8Array, contentType: string | null, where: string): ManifestReferences {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RegistryError(`${where}: the manifest is not JSON`);
  }
  const mediaType = (typeof doc.mediaType === 'string' && doc.mediaType) || (contentType ?? '').split(';')[0]!.trim() || guessType(doc);
  if (doc.schemaVersion === 1) throw new RegistryError(`${where}: schema 1 manifests are not supported (deprecated since distribution 2.3); convert the image`);
  const isIndex = INDEX_TYPES.has(mediaType) || Array.isArray(doc.manifests);
  const descriptor = (value: unknown, field: string): Descriptor => {
    const d = value as Partial<Descriptor> | undefined;
    if (!d || typeof d !== 'object') throw new RegistryError(`${where}: ${field} is not a descriptor`);
    if (typeof d.size !== 'number' || d.size < 0) throw new RegistryError(`${where}: ${field}.size is missing`);
    return { mediaType: String(d.mediaType ?? ''), digest: parseDigest(d.digest, `${where}: ${field}.digest`), size: d.size };
  };
  const list = (field: string) => (Array.isArray(doc[field]) ? (doc[field] as unknown[]) : []).map((v, i) => descriptor(v, `${field}[${i}]`));
  const subject = doc.subject === undefined ? undefined : descriptor(doc.subject, 'subject');
  if (isIndex) return { mediaType, isIndex, blobs: [], manifests: list('manifests'), subject };
  if (doc.config === undefined) throw new RegistryError(`${where}: an image manifest without config`);
  return { mediaType, isIndex, blobs: [descriptor(doc.config, 'config'), ...list('layers')], manifests: [], subject };
}

function guessType(doc: Record<string, unknown>): string {
  return Array.isArray(doc.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
}
