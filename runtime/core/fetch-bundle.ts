/**
 * Loads a bundle over HTTP for the browser host (fetch and Web Crypto only): the manifest,
 * then every weights file it names, each checked against the manifest's size and SHA-256
 * before it is decoded, with the bundle's own errors (api/bundle/bundle-errors.ts).
 */
import { MANIFEST_FILE } from '../../api/bundle/bundle-manifest.ts';
import type { BundleManifest } from '../../api/bundle/bundle-manifest.ts';
import { BundleFileMissingError, BundleFileTamperedError, BundleFileTruncatedError, BundleFormatError } from '../../api/bundle/bundle-errors.ts';
import { parseBundleManifest } from '../../api/bundle/parse-manifest.ts';
import type { WeightSet } from '../../dnn/tfjs/layer-weights.ts';
import { decodeWeightSet } from '../../dnn/tfjs/weight-codec.ts';
import { manifestWeightPaths, runtimeModelFromManifest } from './runtime-model-from-manifest.ts';
import type { RuntimeCloud, RuntimeModel } from './runtime-model.ts';

async function get(url: string, source: string, path: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new BundleFormatError(source, `cannot fetch ${path} (${(e as Error).message})`);
  }
  if (res.status === 404) throw new BundleFileMissingError(source, path);
  if (!res.ok) throw new BundleFormatError(source, `fetching ${path} answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `base`: the bundle root's URL (ending with '/'). */
export async function fetchBundleModel(base: string, cloud?: Partial<RuntimeCloud>): Promise<{ manifest: BundleManifest; model: RuntimeModel }> {
  const root = base.endsWith('/') ? base : `${base}/`;
  const text = new TextDecoder().decode(await get(`${root}${MANIFEST_FILE}`, root, MANIFEST_FILE));
  const manifest = parseBundleManifest(text, root);
  const weights = new Map<string, WeightSet>();
  for (const path of manifestWeightPaths(manifest)) {
    const listed = manifest.files.find((f) => f.path === path);
    if (listed === undefined) throw new BundleFormatError(root, `weights ${path} are not in "files"`);
    const bytes = await get(`${root}${path}`, root, path);
    if (bytes.length !== listed.bytes) throw new BundleFileTruncatedError(root, path, listed.bytes, bytes.length);
    const sha = await sha256Hex(bytes);
    if (sha !== listed.sha256) throw new BundleFileTamperedError(root, path, listed.sha256, sha);
    weights.set(path, decodeWeightSet(bytes, `${root}${path}`).weights);
  }
  return { manifest, model: runtimeModelFromManifest(manifest, weights, cloud) };
}
