import { digestHex, isDigest, type Digest } from './digest.js';

/**
 * Docker distribution 2.8's object layout (registry/storage/paths.go), relative to the
 * driver's root directory. Blob data is content-addressed; everything a repository
 * "has" is a small link object whose body is a digest.
 */
export const V2_ROOT = 'docker/registry/v2';

/** What one object of the registry's bucket is. */
export type StorageObject =
  | { readonly kind: 'blob'; readonly digest: Digest }
  | { readonly kind: 'layerLink'; readonly repository: string; readonly digest: Digest }
  | { readonly kind: 'revisionLink'; readonly repository: string; readonly digest: Digest }
  | { readonly kind: 'tagCurrent'; readonly repository: string; readonly tag: string }
  | { readonly kind: 'tagIndex'; readonly repository: string; readonly tag: string; readonly digest: Digest }
  | { readonly kind: 'upload'; readonly repository: string }
  | { readonly kind: 'other' };

const BLOB = /^blobs\/sha256\/([a-f0-9]{2})\/([a-f0-9]{64})\/data$/;
const LAYER = /^_layers\/sha256\/([a-f0-9]{64})\/link$/;
const REVISION = /^_manifests\/revisions\/sha256\/([a-f0-9]{64})\/link$/;
const TAG_CURRENT = /^_manifests\/tags\/([^/]+)\/current\/link$/;
const TAG_INDEX = /^_manifests\/tags\/([^/]+)\/index\/sha256\/([a-f0-9]{64})\/link$/;

/** Classifies a key relative to the driver's root directory (`docker/registry/v2/...`). */
export function classifyKey(key: string): StorageObject {
  if (!key.startsWith(V2_ROOT + '/')) return { kind: 'other' };
  const rest = key.slice(V2_ROOT.length + 1);
  const blob = BLOB.exec(rest);
  if (blob) {
    const digest = `sha256:${blob[2]}`;
    return blob[1] === blob[2]!.slice(0, 2) && isDigest(digest) ? { kind: 'blob', digest } : { kind: 'other' };
  }
  if (!rest.startsWith('repositories/')) return { kind: 'other' };
  // Repository names contain "/"; the first path part starting with "_" ends them.
  const parts = rest.slice('repositories/'.length).split('/');
  const cut = parts.findIndex((p) => p.startsWith('_'));
  if (cut <= 0) return { kind: 'other' };
  const repository = parts.slice(0, cut).join('/');
  const inside = parts.slice(cut).join('/');
  if (parts[cut] === '_uploads') return { kind: 'upload', repository };
  let m = LAYER.exec(inside);
  if (m) return { kind: 'layerLink', repository, digest: `sha256:${m[1]}` };
  m = REVISION.exec(inside);
  if (m) return { kind: 'revisionLink', repository, digest: `sha256:${m[1]}` };
  m = TAG_CURRENT.exec(inside);
  if (m) return { kind: 'tagCurrent', repository, tag: m[1]! };
  m = TAG_INDEX.exec(inside);
  if (m) return { kind: 'tagIndex', repository, tag: m[1]!, digest: `sha256:${m[2]}` };
  return { kind: 'other' };
}

/** Key of a blob's data. */
export function blobKey(digest: Digest): string {
  const hex = digestHex(digest);
  return `${V2_ROOT}/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
}

function repositoryRoot(repository: string): string {
  return `${V2_ROOT}/repositories/${repository}`;
}

export function layerLinkKey(repository: string, digest: Digest): string {
  return `${repositoryRoot(repository)}/_layers/sha256/${digestHex(digest)}/link`;
}

export function revisionLinkKey(repository: string, digest: Digest): string {
  return `${repositoryRoot(repository)}/_manifests/revisions/sha256/${digestHex(digest)}/link`;
}

export function tagCurrentKey(repository: string, tag: string): string {
  return `${repositoryRoot(repository)}/_manifests/tags/${tag}/current/link`;
}

export function tagIndexKey(repository: string, tag: string, digest: Digest): string {
  return `${repositoryRoot(repository)}/_manifests/tags/${tag}/index/sha256/${digestHex(digest)}/link`;
}

/** The link objects of one repository as found in the bucket. */
export interface RepositoryLinks {
  /** `_layers` links: blobs the repository may serve. */
  readonly layers: Digest[];
  /** `_manifests/revisions` links: every manifest the repository holds, tagged or not. */
  readonly revisions: Digest[];
  /** `_manifests/tags/<tag>/index`: every digest each tag has pointed to. */
  readonly tagHistory: Record<string, Digest[]>;
}

/** Groups the link objects of a bucket listing by repository, sorted for stable output. */
export function repositoryLinks(keys: Iterable<string>): Map<string, RepositoryLinks> {
  const byRepo = new Map<string, { layers: Set<Digest>; revisions: Set<Digest>; tagHistory: Map<string, Set<Digest>> }>();
  const entry = (repository: string) => {
    let e = byRepo.get(repository);
    if (!e) byRepo.set(repository, (e = { layers: new Set(), revisions: new Set(), tagHistory: new Map() }));
    return e;
  };
  for (const key of keys) {
    const o = classifyKey(key);
    if (o.kind === 'layerLink') {entry(o.repository).layers.add(o.digest);} else if (o.kind === 'revisionLink') {entry(o.repository).revisions.add(o.digest);} else if (o.kind === 'tagIndex') {
      const history = entry(o.repository).tagHistory;
      if (!history.has(o.tag)) history.set(o.tag, new Set());
      history.get(o.tag)!.add(o.digest);
    }
  }
  const result = new Map<string, RepositoryLinks>();
  for (const [repository, e] of [...byRepo].sort(([a], [b]) => a.localeCompare(b))) {
    result.set(repository, {
      layers: [...e.layers].sort(),
      revisions: [...e.revisions].sort(),
      tagHistory: Object.fromEntries([...e.tagHistory].sort(([a], [b]) => a.localeCompare(b)).map(([t, s]) => [t, [...s].sort()])),
    });
  }
  return result;
}
