import { readFile, writeFile } from 'node:fs/promises';
// zod's tree-shakable build (zod/mini): verify loads this module at start-up, where classic
// zod cost about an eighth of a CLI process's start-up. English messages, as classic zod words them.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { InventoryError } from '../errors.js';
import { isDigest, type Digest } from '../registry/digest.js';

/** Names the document so that a stray JSON file is refused with a clear reason. */
export const INVENTORY_FORMAT = 'harbor-platform/registry-inventory';
/** Bumped on any change a reader of an older version would misread. */
export const INVENTORY_FORMAT_VERSION = 1;

z.config(en());

const digest = z.string().check(z.refine(isDigest, 'not a sha256 digest')) as unknown as z.ZodMiniType<Digest>;

const manifestEntry = z.object({
  /** Media type the registry served. */
  mediaType: z.string(),
  /** Bytes of the manifest document. */
  size: z.int().check(z.nonnegative()),
  /** Config and layers of an image manifest. */
  blobs: z.array(digest),
  /** Child manifests of an index. */
  manifests: z.array(digest),
});

const links = z.object({
  layers: z.array(digest),
  revisions: z.array(digest),
  tagHistory: z.record(z.string(), z.array(digest)),
});

const repository = z.object({
  name: z.string().check(z.minLength(1)),
  /** Tag -> manifest digest. */
  tags: z.record(z.string(), digest),
  /** Every manifest of the repository: tagged, index children, untagged revisions. */
  manifests: z.record(z.string(), manifestEntry),
  /** The repository's link objects in the bucket; recorded by registry-backup so a restore can rebuild them exactly. */
  links: z.optional(links),
});

const totals = z.object({
  repositories: z.int(),
  tags: z.int(),
  /** Distinct manifest digests. */
  manifests: z.int(),
  /** Distinct blob digests (configs and layers). */
  blobs: z.int(),
  /** Bytes of the distinct blobs. */
  blobBytes: z.int(),
  /** Bytes of the distinct manifests. */
  manifestBytes: z.int(),
});

export const inventorySchema = z.object({
  format: z.literal(INVENTORY_FORMAT),
  formatVersion: z.literal(INVENTORY_FORMAT_VERSION),
  /** Registry URL the inventory was taken from. */
  registry: z.string(),
  /** ISO 8601 time the walk started. */
  takenAt: z.string(),
  repositories: z.array(repository),
  /** Blob digest -> size in bytes, for every blob any manifest references. */
  blobs: z.record(z.string(), z.int().check(z.nonnegative())),
  totals,
  /** What the walk could not record (a tag deleted while it ran, an index child the registry lacks). */
  warnings: z.array(z.string()),
});

export type ManifestEntry = z.infer<typeof manifestEntry>;
export type RepositoryInventory = z.infer<typeof repository>;
export type Inventory = z.infer<typeof inventorySchema>;

/** Parses and validates an inventory document; errors name the field. */
export function parseInventory(text: string, where: string): Inventory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InventoryError(`${where} is not JSON (${(err as Error).message}): give a file written by "harbor-platform inventory"`);
  }
  const format = (json as { format?: unknown; formatVersion?: unknown })?.format;
  if (format !== INVENTORY_FORMAT) throw new InventoryError(`${where} is not a registry inventory (format "${String(format)}", expected "${INVENTORY_FORMAT}")`);
  const version = (json as { formatVersion?: unknown }).formatVersion;
  if (version !== INVENTORY_FORMAT_VERSION) {
    throw new InventoryError(`${where} has inventory format version ${String(version)}; this tool reads version ${INVENTORY_FORMAT_VERSION}: use the matching harbor-platform release`);
  }
  const parsed = inventorySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InventoryError(`${where}: ${issue.path.join('.') || '(document)'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function readInventory(file: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InventoryError(`cannot read inventory ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseInventory(text, file);
}

/** The JSON text of an inventory (stable key order comes from how it was built). */
export function inventoryJson(inventory: Inventory): string {
  return JSON.stringify(inventory, null, 2) + '\n';
}

export async function writeInventory(file: string, inventory: Inventory): Promise<void> {
  await writeFile(file, inventoryJson(inventory));
}

/** Every content-addressed object the inventory needs: blobs and manifests. */
export function referencedDigests(inventory: Inventory): Set<Digest> {
  const all = new Set<Digest>(Object.keys(inventory.blobs) as Digest[]);
  for (const repo of inventory.repositories) for (const d of Object.keys(repo.manifests)) all.add(d as Digest);
  return all;
}
