import { RegistryError } from '../errors.js';
import type { Inventory } from '../inventory/format.js';
import type { RegistryCredentials } from '../registry/auth.js';
import { RegistryClient } from '../registry/client.js';
import type { Digest } from '../registry/digest.js';
import { syntheticImage, type SyntheticImage } from '../registry/synthetic.js';

/** An image to pull back exactly: its manifest's digest and every blob it references. */
export interface ImageRef {
  readonly repository: string;
  /** A tag, or the manifest digest. */
  readonly reference: string;
  readonly manifest: Digest;
  /** Config and layers. */
  readonly blobs: Digest[];
}

/** Refused cleanly is one thing; bytes that do not hash to their digest are another, and always fail. */
export class IntegrityError extends Error {}

/** The ImageRef of an image we built (pushed under `tag`, or by digest). */
export function imageRef(repository: string, image: SyntheticImage, tag?: string): ImageRef {
  const blobs = [image.config.descriptor.digest, ...image.layers.map((l) => l.descriptor.digest)];
  return { repository, reference: tag ?? image.manifest.digest, manifest: image.manifest.digest, blobs };
}

/**
 * Up to `count` image manifests of an inventory (indexes are skipped: their children are
 * image manifests themselves), spread over repositories: the first of each repository, then
 * the second, and so on. Each is pulled by a tag that points at it, or by digest.
 */
export function sampleImages(inventory: Inventory, count: number): ImageRef[] {
  const perRepo = inventory.repositories.map((repo) => {
    const tagOf = new Map(Object.entries(repo.tags).map(([tag, d]) => [d as string, tag]));
    return Object.entries(repo.manifests)
      .filter(([, m]) => m.blobs.length > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([d, m]): ImageRef => ({ repository: repo.name, reference: tagOf.get(d) ?? d, manifest: d as Digest, blobs: [...m.blobs] }));
  });
  const out: ImageRef[] = [];
  for (let i = 0; out.length < count && perRepo.some((r) => r.length > i); i++) {
    for (const r of perRepo) if (r[i] && out.length < count) out.push(r[i]!);
  }
  return out;
}

/** A registry to probe, as the zone-loss check uses it; `patient` for what the plan says survives. */
export interface ZoneLossRegistry {
  /** Pulls the manifest and every blob, each checked against its digest; throws IntegrityError on other bytes. */
  pull(image: ImageRef, patient: boolean): Promise<void>;
  /** Pushes a new synthetic image (random layers, so never deduplicated); returns it. */
  push(patient: boolean): Promise<ImageRef>;
}

/** Client bounds: what must survive gets retries; what must be refused one attempt, bounded by its timeout. */
export const PROBE_CLIENT = { patient: { retries: 2, timeoutMs: 20_000 }, strict: { retries: 0, timeoutMs: 10_000 } } as const;

/**
 * ZoneLossRegistry over the distribution API. MinIO holds a request it lacks the quorum for
 * (and distribution's S3 driver sets no timeout), so only the client's timeout bounds it.
 */
export class RegistryZoneProbe implements ZoneLossRegistry {
  constructor(
    private readonly props: {
      readonly url: string;
      readonly credentials?: RegistryCredentials;
      /** Repository of the synthetic images. @default 'harbor-platform/zone-loss' */
      readonly repository?: string;
      /** @default [200_000] bytes: one layer, enough for a real upload through MinIO */
      readonly layerSizes?: number[];
    },
  ) {}

  private client(patient: boolean): RegistryClient {
    const bounds = patient ? PROBE_CLIENT.patient : PROBE_CLIENT.strict;
    return new RegistryClient({ url: this.props.url, credentials: this.props.credentials, ...bounds });
  }

  async pull(image: ImageRef, patient: boolean): Promise<void> {
    const client = this.client(patient);
    const what = `${image.repository}:${image.reference}`;
    const manifest = await client.getManifest(image.repository, image.reference);
    if (!manifest) throw new RegistryError(`pull ${what}: no such manifest`);
    if (manifest.digest !== image.manifest) throw new IntegrityError(`pull ${what}: manifest hashes to ${manifest.digest}, expected ${image.manifest}`);
    for (const blob of image.blobs) {
      const read = await client.hashBlob(image.repository, blob);
      if (!read) throw new RegistryError(`pull ${what}: blob ${blob} unknown`);
      if (!read.complete) throw new RegistryError(`pull ${what}: blob ${blob} cut short: ${read.reason ?? `${read.bytes} of ${read.announced} bytes`}`);
      if (read.digest !== blob) throw new IntegrityError(`pull ${what}: blob ${blob} hashes to ${read.digest}`);
    }
  }

  async push(patient: boolean): Promise<ImageRef> {
    const client = this.client(patient);
    const repository = this.props.repository ?? 'harbor-platform/zone-loss';
    const image = syntheticImage({ layerSizes: this.props.layerSizes ?? [200_000] });
    for (const layer of image.layers) await client.pushBlobMonolithic(repository, layer.bytes);
    await client.pushBlobMonolithic(repository, image.config.bytes);
    // Under a tag of its own, as users push: Harbor then lists it as an artifact with that tag.
    const tag = `zone-loss-${image.manifest.digest.slice(7, 19)}`;
    await client.putManifest(repository, tag, image.manifest.bytes, image.manifest.mediaType);
    return imageRef(repository, image, tag);
  }
}
