/**
 * A WeightSet in one file, in the offload protocol's frame (magic "ETW1"): a JSON
 * header listing each array (layer id, name, length) and the float32 values in
 * that order. What `edgetree cloud serve --weights FILE` reads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeFrame, encodeFrame, floatViews } from '../api/offload/offload-frame.ts';
import type { LayerWeights, WeightName, WeightSet } from '../dnn/tfjs/layer-weights.ts';

const WEIGHTS_MAGIC = 'ETW1';
const NAMES: readonly WeightName[] = ['kernel', 'bias', 'gamma', 'beta', 'movingMean', 'movingVariance'];

interface WeightFileHeader {
  model: string;
  arrays: { layer: string; name: WeightName; length: number }[];
}

/** A weights file that cannot be read: the path and what is wrong. */
export class WeightFileError extends Error {
  constructor(path: string, problem: string) {
    super(`weights file ${path}: ${problem}`);
    this.name = 'WeightFileError';
  }
}

export function writeWeightSetFile(path: string, model: string, weights: WeightSet): void {
  const header: WeightFileHeader = { model, arrays: [] };
  const arrays: Float32Array[] = [];
  for (const [layer, w] of weights) {
    for (const name of NAMES) {
      const a = w[name];
      if (a) {
        header.arrays.push({ layer, name, length: a.length });
        arrays.push(a);
      }
    }
  }
  writeFileSync(path, encodeFrame(WEIGHTS_MAGIC, header, arrays));
}

/** Reads a weights file written for `model` (the spec's name); whether it fits the spec is checked when the executor is built. */
export function readWeightSetFile(path: string, model: string): WeightSet {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new WeightFileError(path, (err as Error).message);
  }
  let decoded: { header: unknown; payload: Uint8Array };
  try {
    decoded = decodeFrame(bytes, WEIGHTS_MAGIC);
  } catch (err) {
    throw new WeightFileError(path, `not a studio weights file (${(err as Error).message})`);
  }
  const header = decoded.header as Partial<WeightFileHeader>;
  if (header.model !== model) throw new WeightFileError(path, `holds weights for model "${String(header.model)}", not "${model}"`);
  const entries = Array.isArray(header.arrays) ? header.arrays : [];
  if (entries.some((e) => typeof e?.layer !== 'string' || !NAMES.includes(e.name) || !Number.isInteger(e.length) || e.length < 0)) {
    throw new WeightFileError(path, 'its array list is malformed (each entry needs layer, name and length)');
  }
  let views: Float32Array[];
  try {
    views = floatViews(decoded.payload, entries.map((e) => e.length));
  } catch (err) {
    throw new WeightFileError(path, `truncated or padded: ${(err as Error).message}`);
  }
  const weights: WeightSet = new Map();
  entries.forEach((e, k) => {
    const w: LayerWeights = weights.get(e.layer) ?? {};
    w[e.name] = views[k];
    weights.set(e.layer, w);
  });
  return weights;
}
