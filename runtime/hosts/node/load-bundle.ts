/**
 * Reads a bundle folder for the Node host: bundle/open-bundle.ts checks the manifest and
 * every file's size and SHA-256 first, then each weights file is decoded once.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBundle } from '../../../bundle/open-bundle.ts';
import type { BundleManifest } from '../../../api/bundle/bundle-manifest.ts';
import { decodeWeightSet } from '../../../dnn/tfjs/weight-codec.ts';
import type { WeightSet } from '../../../dnn/tfjs/layer-weights.ts';
import { manifestWeightPaths, runtimeModelFromManifest } from '../../core/runtime-model-from-manifest.ts';
import type { RuntimeCloud, RuntimeModel } from '../../core/runtime-model.ts';

export async function loadBundleModel(dir: string, cloud?: Partial<RuntimeCloud>): Promise<{ manifest: BundleManifest; model: RuntimeModel }> {
  const bundle = await openBundle(dir);
  const weights = new Map<string, WeightSet>();
  for (const path of manifestWeightPaths(bundle.manifest)) {
    weights.set(path, decodeWeightSet(await readFile(join(dir, path)), join(dir, path)).weights);
  }
  return { manifest: bundle.manifest, model: runtimeModelFromManifest(bundle.manifest, weights, cloud) };
}
