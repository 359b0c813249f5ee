/**
 * Opens a bundle folder and checks it whole before anything uses it: the manifest's
 * format version and shape, then every listed file's presence, size and SHA-256.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../api/bundle/bundle-manifest.ts';
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { BundleFileMissingError, BundleFileTamperedError, BundleFileTruncatedError, BundleFormatError } from '../api/bundle/bundle-errors.ts';
import { parseBundleManifest } from '../api/bundle/parse-manifest.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { decodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import { sha256File } from './sha256-file.ts';

export interface OpenedBundle {
  dir: string;
  manifest: BundleManifest;
  /** All files' bytes, the manifest included. */
  bytes: number;
  /** The weights of a device node's layers (empty when its layers have none). */
  nodeWeights(nodeId: number): Promise<WeightSet>;
}

export async function openBundle(dir: string): Promise<OpenedBundle> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    throw new BundleFormatError(dir, `no readable ${MANIFEST_FILE} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): not a bundle folder`);
  }
  const manifest = parseBundleManifest(text, dir);
  for (const f of manifest.files) {
    let size: number;
    try {
      size = (await stat(join(dir, f.path))).size;
    } catch {
      throw new BundleFileMissingError(dir, f.path);
    }
    if (size !== f.bytes) throw new BundleFileTruncatedError(dir, f.path, f.bytes, size);
    const { sha256 } = await sha256File(join(dir, f.path));
    if (sha256 !== f.sha256) throw new BundleFileTamperedError(dir, f.path, f.sha256, sha256);
  }
  return {
    dir,
    manifest,
    bytes: manifest.files.reduce((s, f) => s + f.bytes, 0) + Buffer.byteLength(text),
    async nodeWeights(nodeId) {
      const node = manifest.nodes[nodeId];
      if (!node?.device) throw new BundleFormatError(dir, `node ${nodeId} has no device layers`);
      if (node.device.weights === null) return new Map();
      return decodeWeightSet(await readFile(join(dir, node.device.weights)), join(dir, node.device.weights)).weights;
    },
  };
}
