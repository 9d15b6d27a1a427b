import { RegistryError } from '../errors.js';
import { REGISTRY_ENV_PREFIX } from './auth.js';
import { digester, digestOf, type Digest } from './digest.js';
import { RegistryHttpError } from './errors.js';
import { RegistryHttp, TruncatedBodyError, type RegistryHttpProps, type RegistryResponse } from './http.js';
import { MANIFEST_ACCEPT } from './manifest.js';
import { pushBlobChunked, pushBlobMonolithic } from './upload.js';
import { basicCredentialsFromEnv } from '../credentials/basic-credentials.js';

/** A manifest as the registry served it. */
export interface FetchedManifest {
  /** sha256 of the bytes served (what a pull by digest checks). */
  readonly digest: Digest;
  /** The registry's `Docker-Content-Digest` header, when sent. */
  readonly headerDigest?: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/** What streaming one blob found. */
export interface BlobRead {
  /** sha256 of the bytes received; undefined when the transfer never completed. */
  readonly digest?: Digest;
  /** Bytes received. */
  readonly bytes: number;
  /** The `Content-Length` the registry announced. */
  readonly announced?: number;
  /** False when the registry sent fewer bytes than it announced. */
  readonly complete: boolean;
  /** Why the transfer stayed short. */
  readonly reason?: string;
}

export interface ManifestHead {
  readonly digest?: Digest;
  readonly size?: number;
  readonly mediaType?: string;
}

const PAGE = 1000;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Refuses a repository name the distribution spec does not allow. */
export function checkRepositoryName(name: string): string {
  if (!REPOSITORY.test(name) || name.length > 255) {
    throw new RegistryError(`repository "${name}" is not a valid name: lower-case letters, digits and separators (. _ __ -), path parts joined by "/"`);
  }
  return name;
}

/**
 * The OCI distribution API of one registry: list, pull, push and delete, with
 * digest-verified streaming. Credentials default to HARBOR_PLATFORM_REGISTRY_USERNAME / _PASSWORD.
 */
export class RegistryClient {
  readonly http: RegistryHttp;

  constructor(props: RegistryHttpProps) {
    this.http = new RegistryHttp({ ...props, credentials: props.credentials ?? basicCredentialsFromEnv(REGISTRY_ENV_PREFIX, process.env, 'for an anonymous registry') });
  }

  get url(): string {
    return this.http.baseUrl.origin;
  }

  /** Checks the registry answers the v2 API (and that the credentials work). */
  async ping(): Promise<void> {
    const res = await this.http.send({ method: 'GET', path: '/v2/', ok: [200] });
    await res.discard();
  }

  /** Every repository of the catalog, following `Link` pagination. */
  async catalog(): Promise<string[]> {
    return this.paged(`/v2/_catalog?n=${PAGE}`, undefined, (body) => (body as { repositories?: string[] }).repositories ?? []);
  }

  /** Every tag of a repository; none for an unknown repository. */
  async tags(repository: string): Promise<string[]> {
    try {
      return await this.paged(`/v2/${repository}/tags/list?n=${PAGE}`, repository, (body) => (body as { tags?: string[] | null }).tags ?? []);
    } catch (err) {
      if (err instanceof RegistryHttpError && err.status === 404) return [];
      throw err;
    }
  }

  private async paged(first: string, repository: string | undefined, pick: (body: unknown) => string[]): Promise<string[]> {
    const all: string[] = [];
    let next: string | undefined = first;
    while (next) {
      const res: RegistryResponse = await this.http.send({ method: 'GET', path: next, repository, ok: [200] });
      all.push(...pick(JSON.parse(await res.text())));
      next = nextLink(res.headers.get('link'));
    }
    return all;
  }

  /** A manifest by tag or digest; undefined when the registry does not know it. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest | undefined> {
    const res = await this.http.send({ method: 'GET', path: `/v2/${repository}/manifests/${reference}`, repository, headers: { accept: MANIFEST_ACCEPT }, ok: [200, 404] });
    if (res.status === 404) return void (await res.discard());
    const bytes = await res.bytes();
    return {
      digest: digestOf(bytes),
      headerDigest: res.headers.get('docker-content-digest') ?? undefined,
      mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim(),
      bytes,
    };
  }

  /** What a tag or digest resolves to, without the body; undefined when unknown. */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    const res = await this.http.send({ method: 'HEAD', path: `/v2/${repository}/manifests/${reference}`, repository, headers: { accept: MANIFEST_ACCEPT }, ok: [200, 404] });
    await res.discard();
    if (res.status === 404) return undefined;
    const length = res.headers.get('content-length');
    return {
      digest: (res.headers.get('docker-content-digest') ?? undefined) as Digest | undefined,
      size: length === null ? undefined : Number(length),
      mediaType: res.headers.get('content-type') ?? undefined,
    };
  }

  /** Uploads a manifest under a tag or its digest; returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<Digest> {
    const res = await this.http.send({
      method: 'PUT',
      path: `/v2/${repository}/manifests/${reference}`,
      repository,
      body: bytes,
      headers: { 'content-type': mediaType },
      ok: [201],
    });
    await res.discard();
    const digest = digestOf(bytes);
    const header = res.headers.get('docker-content-digest');
    if (header && header !== digest) throw new RegistryError(`PUT manifest ${repository}:${reference}: the registry reports ${header}, the bytes hash to ${digest}`);
    return digest;
  }

  /** Deletes a manifest by digest (the registry must allow deletes). */
  async deleteManifest(repository: string, digest: Digest): Promise<void> {
    const res = await this.http.send({ method: 'DELETE', path: `/v2/${repository}/manifests/${digest}`, repository, ok: [202] });
    await res.discard();
  }

  /** A blob's size as the registry reports it; undefined when missing. */
  async headBlob(repository: string, digest: Digest): Promise<{ size?: number } | undefined> {
    const res = await this.http.send({ method: 'HEAD', path: `/v2/${repository}/blobs/${digest}`, repository, ok: [200, 404] });
    await res.discard();
    if (res.status === 404) return undefined;
    const length = res.headers.get('content-length');
    return { size: length === null ? undefined : Number(length) };
  }

  /**
   * Streams a blob through sha256 without holding it; undefined when the registry
   * answers 404. A transfer cut short is tried again from the start within the
   * client's retry bound; if it stays short, the result says so (`complete: false`).
   */
  async hashBlob(repository: string, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<BlobRead | undefined> {
    const attempts = this.http.attempts;
    for (let attempt = 1; ; attempt++) {
      const res = await this.http.send({ method: 'GET', path: `/v2/${repository}/blobs/${digest}`, repository, ok: [200, 404] });
      if (res.status === 404) return void (await res.discard());
      const length = res.headers.get('content-length');
      const announced = length === null ? undefined : Number(length);
      try {
        const d = digester();
        await res.forEachChunk((chunk) => {
          d.update(chunk);
          onChunk?.(chunk);
        });
        const result = d.result();
        return { ...result, announced, complete: announced === undefined || announced === result.bytes };
      } catch (err) {
        if (!(err instanceof TruncatedBodyError)) throw err;
        if (attempt >= attempts) return { digest: undefined, bytes: err.received, announced, complete: false, reason: err.message };
      }
    }
  }

  /** Removes a blob from a repository (distribution unlinks it; the data stays until garbage collection). */
  async deleteBlob(repository: string, digest: Digest): Promise<void> {
    const res = await this.http.send({ method: 'DELETE', path: `/v2/${repository}/blobs/${digest}`, repository, ok: [202] });
    await res.discard();
  }

  /** Pushes a blob in one request after opening the session. */
  pushBlobMonolithic(repository: string, bytes: Uint8Array): Promise<Digest> {
    return pushBlobMonolithic(this.http, repository, bytes);
  }

  /** Pushes a blob as PATCH chunks of `chunkSize` bytes. */
  pushBlobChunked(repository: string, bytes: Uint8Array, chunkSize: number): Promise<Digest> {
    return pushBlobChunked(this.http, repository, bytes, chunkSize);
  }
}

/** The target of a `Link: <...>; rel="next"` header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}
