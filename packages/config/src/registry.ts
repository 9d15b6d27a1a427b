/**
 * The registry's S3 storage settings, derived once and rendered two ways: as the
 * Harbor chart's `persistence.imageChartStorage.s3` values, and as the
 * `storage.s3` section of a Docker distribution `config.yml` (what the chart's
 * registry ConfigMap ends up containing). The local stack runs the real
 * distribution registry from the second form, so the first is exercised for real.
 */

/** What the registry needs to know about its object store. */
export interface RegistryStorageInput {
  /** Absolute S3 API URL with scheme and port, e.g. `http://minio.minio.svc.cluster.local:9000`. */
  readonly endpoint: string;
  /** Bucket holding the registry's objects. */
  readonly bucket: string;
  /** Region name; free-form when an endpoint is set, but required by the driver. */
  readonly region: string;
  /** Prefix inside the bucket. @default - the bucket root */
  readonly rootDirectory?: string;
}

/** The S3 driver settings (distribution 2.8 names). */
export interface RegistryStorageSettings {
  readonly region: string;
  readonly bucket: string;
  /**
   * Always carries the scheme: without it the driver speaks HTTPS to MinIO's HTTP port.
   * Setting it also turns on path-style addressing in distribution 2.8.
   */
  readonly regionendpoint: string;
  /** TLS towards the store; follows the endpoint's scheme. */
  readonly secure: boolean;
  readonly v4auth: true;
  /** MinIO cannot serve the presigned redirects the registry would hand to clients. */
  readonly disableredirect: true;
  readonly rootdirectory?: string;
  /** 10 MiB: distribution's default multipart chunk, above S3's 5 MiB minimum part. */
  readonly chunksize: number;
}

const CHUNK_SIZE = 10 * 1024 * 1024;

export function registryStorage(input: RegistryStorageInput): RegistryStorageSettings {
  const url = new URL(input.endpoint);
  return {
    region: input.region,
    bucket: input.bucket,
    regionendpoint: `${url.protocol}//${url.host}`,
    secure: url.protocol === 'https:',
    v4auth: true,
    disableredirect: true,
    ...(input.rootDirectory ? { rootdirectory: input.rootDirectory } : {}),
    chunksize: CHUNK_SIZE,
  };
}

/** Options of a standalone distribution registry (the local stack). */
export interface DistributionConfigOptions {
  /** `host:port` to listen on. */
  readonly addr: string;
  /** S3 access key and secret key; written to the config file, never to the environment. */
  readonly accessKey: string;
  readonly secretKey: string;
  /** htpasswd file for basic auth. @default - no authentication */
  readonly htpasswdPath?: string;
  /** Random secret shared by upload state; required for multi-instance registries. */
  readonly httpSecret: string;
}

/** A complete distribution `config.yml` object for the given storage settings. */
export function distributionConfig(storage: RegistryStorageSettings, options: DistributionConfigOptions) {
  const { disableredirect, ...s3 } = storage;
  return {
    version: 0.1,
    log: { level: 'info', formatter: 'text' },
    storage: {
      s3: { ...s3, accesskey: options.accessKey, secretkey: options.secretKey },
      redirect: { disable: disableredirect },
      delete: { enabled: true },
      cache: { blobdescriptor: 'inmemory' },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: options.addr, secret: options.httpSecret, headers: { 'X-Content-Type-Options': ['nosniff'] } },
    ...(options.htpasswdPath ? { auth: { htpasswd: { realm: 'harbor-platform', path: options.htpasswdPath } } } : {}),
    health: { storagedriver: { enabled: true, interval: '10s', threshold: 3 } },
  };
}
