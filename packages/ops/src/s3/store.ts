import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3StoreError, s3StoreError } from './errors.js';
import { formatLocation, type S3Location, type S3Role } from './location.js';
import { awsReason } from '../aws/errors.js';

/** One object of a listing, with its key relative to the store's prefix. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** The ETag without quotes (an MD5 for single-part uploads on MinIO/RGW, something else with SSE-KMS or multipart). */
  readonly etag: string;
}

/** Metadata key that records the source's ETag on each copy, for stores whose ETags are not comparable. */
export const SOURCE_ETAG_METADATA = 'harbor-platform-source-etag';

/** Timeouts towards the store: a stopped store fails fast instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** Above S3's limit for one CopyObject (5 GiB), copies stream through this process instead. */
const MAX_SERVER_COPY = 5 * 1024 ** 3;
/** Part size of streamed uploads: bigger parts, fewer requests; memory is part size x queue size per copy. */
const PART_SIZE = 16 * 1024 * 1024;

/**
 * A bucket prefix on one S3-compatible endpoint (AWS S3, MinIO, Ceph RGW), with keys
 * relative to the prefix.
 */
export class ObjectStore {
  readonly client: S3Client;

  /**
   * @param role which side of a copy this store is (`--source`/`--target` and their variables),
   * named in the one-line errors of {@link request}; unknown by default.
   */
  constructor(
    readonly location: S3Location,
    readonly role?: S3Role,
  ) {
    // The SDK prints a notice on every run under Node 20 that its 2027 releases need Node 22. The
    // platform runs on Node 24 (engines, the workflows, .ci/run); the notice would only repeat that.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const e = location.endpoint;
    const config: S3ClientConfig = {
      region: e.region ?? process.env.AWS_REGION ?? (e.endpoint ? 'us-east-1' : undefined),
      endpoint: e.endpoint,
      forcePathStyle: !!e.endpoint,
      credentials: e.accessKeyId && e.secretAccessKey ? { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey } : undefined,
      // MinIO and RGW releases predate the SDK's default CRC32 trailers; send checksums only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    };
    this.client = new S3Client(config);
  }

  /**
   * Sends one command with this store's client. An access, bucket, credential or network failure
   * becomes an S3StoreError naming this store and the fix; other SDK errors (NoSuchKey...) pass as they are.
   */
  async request<O>(send: (client: S3Client) => Promise<O>): Promise<O> {
    try {
      return await send(this.client);
    } catch (err) {
      throw s3StoreError(err, this);
    }
  }

  /** `s3://bucket/prefix`, for messages. */
  get url(): string {
    return formatLocation(this.location);
  }

  /** The full key of a relative key. */
  fullKey(key: string): string {
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  /** Every object under `sub` (relative to the prefix), paginated. */
  async list(sub = ''): Promise<StoredObject[]> {
    const base = this.location.prefix ? this.location.prefix + '/' : '';
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const list = new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: base + sub, ContinuationToken: token });
      const page = await this.request((c) => c.send(list));
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        objects.push({ key: o.Key.slice(base.length), size: o.Size ?? 0, etag: unquote(o.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  /** True when nothing is stored under the prefix. */
  async isEmpty(): Promise<boolean> {
    const base = this.location.prefix ? this.location.prefix + '/' : '';
    const page = await this.request((c) => c.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: base, MaxKeys: 1 })));
    return (page.KeyCount ?? page.Contents?.length ?? 0) === 0;
  }

  /** The metadata recorded with an object (lower-case keys), or undefined when it does not exist. */
  async metadata(key: string): Promise<Record<string, string> | undefined> {
    try {
      const head = await this.request((c) => c.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.fullKey(key) })));
      return head.Metadata ?? {};
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async getText(key: string): Promise<string> {
    const res = await this.request((c) => c.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.fullKey(key) })));
    return res.Body!.transformToString('utf8');
  }

  async putText(key: string, text: string, contentType = 'application/octet-stream'): Promise<void> {
    const put = new PutObjectCommand({ Bucket: this.location.bucket, Key: this.fullKey(key), Body: text, ContentType: contentType });
    await this.request((c) => c.send(put));
  }

  async delete(key: string): Promise<void> {
    await this.request((c) => c.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.fullKey(key) })));
  }

  /** True when both stores are on one endpoint with one set of keys, so the server can copy between them. */
  sharesEndpointWith(other: ObjectStore): boolean {
    const a = this.location.endpoint;
    const b = other.location.endpoint;
    return a.endpoint === b.endpoint && a.accessKeyId === b.accessKeyId && a.secretAccessKey === b.secretAccessKey && a.region === b.region;
  }

  /**
   * Copies one object from `source` to `targetKey` here, server-side when both share
   * an endpoint, streamed through this process otherwise. Records the source ETag.
   */
  async copyFrom(source: ObjectStore, object: StoredObject, targetKey = object.key): Promise<void> {
    const Metadata = { [SOURCE_ETAG_METADATA]: object.etag };
    if (this.sharesEndpointWith(source) && object.size <= MAX_SERVER_COPY) {
      await this.request((c) => c.send(
        new CopyObjectCommand({
          Bucket: this.location.bucket,
          Key: this.fullKey(targetKey),
          CopySource: encodeURI(`${source.location.bucket}/${source.fullKey(object.key)}`),
          MetadataDirective: 'REPLACE',
          Metadata,
        }),
      ));
      return;
    }
    const res = await source.request((c) => c.send(new GetObjectCommand({ Bucket: source.location.bucket, Key: source.fullKey(object.key) })));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key: this.fullKey(targetKey), Body: res.Body as Readable, ContentLength: object.size, Metadata },
      partSize: PART_SIZE,
      queueSize: 2,
    });
    try {
      await upload.done();
    } catch (err) {
      throw s3StoreError(err, this);
    }
  }

  toString(): string {
    return formatLocation(this.location);
  }
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** One line for an S3 failure: the SDK's error name and message, or the socket error (short: one per object). */
export function s3Reason(err: unknown): string {
  return awsReason(err instanceof S3StoreError ? err.cause : err);
}
