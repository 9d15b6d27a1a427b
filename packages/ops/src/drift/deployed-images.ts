import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { imageReference, type ImagesPlan } from '@harbor-platform/config';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import { DriftError } from '../errors.js';

/** Manifests ready for `kubectl diff`, and how to remove them when they were written for it. */
export interface DiffableManifests {
  /** A file or folder to pass to `kubectl diff -f`. */
  readonly path: string;
  /** Removes what was written (nothing when `path` is the synthesized folder itself). */
  readonly cleanup: () => void;
}

/**
 * The synthesized manifests with each built image's deploy-time digest in place.
 *
 * Offline, `npm run synth` cannot know the digest a deploy's build step pushed, so a built
 * image (`plan.images.<name>.built`) reads `<repository>@<deploy-time: SSM <parameter>>` in
 * the manifests, while the platform stack resolves the SSM parameter when it deploys. Comparing
 * those placeholders with the cluster would report every MinIO server and the backup CronJob
 * as drifted every night, so drift puts in the value the parameter holds now (what the last
 * deploy ran), as CloudFormation did, and compares that.
 *
 * @param dir the synthesized manifests folder (`apps/platform/dist/<env>/manifests`)
 * @param images the environment's `plan.images`
 * @param readDigest the current value of an SSM parameter (`sha256:<hex>`); a rejection names the parameter
 * @throws Error naming the parameter when it holds no image digest
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types
 */
export async function withDeployedImages(
  dir: string,
  images: ImagesPlan,
  readDigest: (parameter: string) => Promise<string>,
): Promise<DiffableManifests> {
  const built = [images.minio, images.ops].filter((i) => i.built);
  if (built.length === 0) return { path: dir, cleanup: () => {} };
  const replacements = new Map<string, string>();
  for (const image of built) {
    const digest = (await readDigest(image.digestParameter)).trim();
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw new DriftError(`SSM parameter ${image.digestParameter} holds "${digest.slice(0, 80)}", not an image digest (sha256:<64 hex>): deploy once so its build step writes it`);
    }
    replacements.set(imageReference(image), imageReference(image, digest));
  }
  const out = mkdtempSync(join(tmpdir(), 'harbor-platform-drift-'));
  try {
    for (const file of filesUnder(dir)) {
      const text = readFileSync(file, 'utf8');
      const target = join(out, relative(dir, file));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, /\.ya?ml$/.test(file) ? replaceScalars(text, replacements) : text);
    }
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    throw err;
  }
  return { path: out, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

/**
 * `text` (YAML documents) with every string scalar that is a key of `replacements` replaced:
 * by value, not by text, since a serializer may fold a long scalar over lines.
 */
function replaceScalars(text: string, replacements: ReadonlyMap<string, string>): string {
  return parseAllDocuments(text).map((doc) => {
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && typeof node.value === 'string' && replacements.has(node.value)) node.value = replacements.get(node.value);
      },
    });
    return doc.toString();
  }).join('');
}

/** Every file below `dir`, in a stable order (kubectl reads a folder recursively the same way). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
