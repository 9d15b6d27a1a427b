import { randomBytes } from 'node:crypto';
import { digestOf, type Digest } from './digest.js';
import { MEDIA_TYPES, type Descriptor } from './manifest.js';

/** An image built in memory: blobs by digest and the manifest that ties them. */
export interface SyntheticImage {
  readonly config: { readonly descriptor: Descriptor; readonly bytes: Buffer };
  readonly layers: { readonly descriptor: Descriptor; readonly bytes: Buffer }[];
  readonly manifest: { readonly digest: Digest; readonly bytes: Buffer; readonly mediaType: string };
}

/** Options of {@link syntheticImage}. */
export interface SyntheticImageOptions {
  /** Bytes of random content in each layer. */
  readonly layerSizes: readonly number[];
  /** Recorded in the config, so two images built at once differ. @default a random id */
  readonly label?: string;
}

/**
 * A valid OCI image with random layers: each layer is a tar archive holding one
 * file of random bytes, so any client (skopeo, a container runtime) accepts it.
 */
export function syntheticImage(options: SyntheticImageOptions): SyntheticImage {
  const label = options.label ?? randomBytes(8).toString('hex');
  const layers = options.layerSizes.map((size, i) => {
    const bytes = tarOf(`smoke-${i}.bin`, randomBytes(size));
    return { descriptor: { mediaType: MEDIA_TYPES.ociLayer, digest: digestOf(bytes), size: bytes.byteLength }, bytes };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.description': `harbor-platform smoke ${label}` } },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.descriptor.digest) },
    }),
  );
  const configDescriptor = { mediaType: MEDIA_TYPES.ociConfig, digest: digestOf(config), size: config.byteLength };
  const manifestBytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: configDescriptor, layers: layers.map((l) => l.descriptor) }),
  );
  return {
    config: { descriptor: configDescriptor, bytes: config },
    layers,
    manifest: { digest: digestOf(manifestBytes), bytes: manifestBytes, mediaType: MEDIA_TYPES.ociManifest },
  };
}

/** A ustar archive with one regular file (uncompressed layers have diff_id = digest). */
export function tarOf(name: string, content: Uint8Array): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(content.byteLength.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.fill(' ', 148, 156); // checksum field counts as spaces while summing
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const padding = Buffer.alloc((512 - (content.byteLength % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}
