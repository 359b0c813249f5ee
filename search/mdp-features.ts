/**
 * The MDP's state as the controllers read it (paper Sec. V-A, Eq. 1): each layer as a
 * feature vector of its hyper-parameters x_i = (l, k, s, p, n) plus the skip-connection
 * ends and the network context. FEATURE_SIZE numbers per step, each about in [-1, 1]:
 *  0..11  l: one-hot over LAYER_TYPES (conv, depthwise, fc, maxpool, avgpool, gap, bn,
 *         activation, flatten, dropout, add, concat)
 *  12     k: kernel / 7 (0 without a kernel)
 *  13     s: stride / 4 (conv default 1, pooling default its kernel, 0 otherwise)
 *  14     p: numeric padding / 4 (0 for 'same' and for none)
 *  15     p: 1 for 'same' padding
 *  16     n: log2(1 + output channels or units) / 10 (0 without)
 *  17     skip end: 1 when the layer reads more than one tensor or one other than the previous layer's
 *  18     skip start: 1 when a layer other than the next one reads its output
 *  19     W: log2(bandwidth Mbit/s) / 8, clamped to [-2, 2]
 *  20     position of the layer in its block / block length
 *  21     1 on the partition controller's decision step (whose layer features are 0), else 0
 */
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import { MODEL_INPUT_ID } from '../dnn/spec/analyze.ts';
import { LAYER_TYPES } from '../dnn/spec/layer-spec.ts';

export const FEATURE_SIZE = 22;

/** Per layer of the base, the skip-connection flags (features 17, 18). */
export function skipFlags(analysis: ModelAnalysis): { end: boolean[]; start: boolean[] } {
  const position = new Map(analysis.layers.map((l) => [l.layer.id, l.index]));
  const end = analysis.layers.map(() => false);
  const start = analysis.layers.map(() => false);
  analysis.layers.forEach((l, i) => {
    const producers = l.inputIds.map((id) => (id === MODEL_INPUT_ID ? -1 : (position.get(id) as number)));
    if (producers.length > 1 || producers[0] !== i - 1) end[i] = true;
    for (const p of producers) if (p >= 0 && p !== i - 1) start[p] = true;
  });
  return { end, start };
}

export function bandwidthFeature(mbps: number): number {
  return Math.max(-2, Math.min(2, Math.log2(Math.max(mbps, 1e-6)) / 8));
}

/** The features of base layer `position` in a block [start, end) at a bandwidth. */
export function layerFeatures(analysis: ModelAnalysis, flags: { end: boolean[]; start: boolean[] }, position: number, block: { start: number; end: number }, mbps: number): number[] {
  const layer = analysis.layers[position].layer;
  const f = new Array<number>(FEATURE_SIZE).fill(0);
  f[LAYER_TYPES.indexOf(layer.type)] = 1;
  const pooling = layer.type === 'maxpool' || layer.type === 'avgpool';
  const convLike = layer.type === 'conv' || layer.type === 'depthwise';
  f[12] = (layer.kernel ?? 0) / 7;
  f[13] = (layer.stride ?? (pooling ? (layer.kernel ?? 0) : convLike ? 1 : 0)) / 4;
  f[14] = typeof layer.padding === 'number' ? layer.padding / 4 : 0;
  f[15] = layer.padding === 'same' ? 1 : 0;
  f[16] = Math.log2(1 + (layer.outChannels ?? 0)) / 10;
  f[17] = flags.end[position] ? 1 : 0;
  f[18] = flags.start[position] ? 1 : 0;
  f[19] = bandwidthFeature(mbps);
  f[20] = (position - block.start) / (block.end - block.start);
  return f;
}

/** The partition controller's decision step: no layer, the bandwidth, the flag. */
export function decisionFeatures(mbps: number): number[] {
  const f = new Array<number>(FEATURE_SIZE).fill(0);
  f[19] = bandwidthFeature(mbps);
  f[21] = 1;
  return f;
}
