/**
 * A small search problem worked out by hand, shared by the search tests: a 9-layer chain,
 * four variants (two pairs overlap), a phone-like and a server-like profile, and an
 * accuracy that is the base accuracy minus a cost per technique (the search's input, a
 * real function of the composition).
 */
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import type { TechniqueId } from '../../dnn/compress/technique.ts';
import type { AccuracyOracle, SearchProblem, VariantInfo } from '../problem.ts';
import { PAPER_REWARD } from '../reward.ts';

// Input 8x8x2.
// 0 c1 conv 3x3 pad 1 -> 8x8x4, MACC 9*2*4*64 = 4608     5 fl flatten -> 128
// 1 r1 relu                                              6 f1 fc 16, MACC 128*16 = 2048
// 2 p1 maxpool 2 -> 4x4x4 (256 bytes)                    7 r3 relu
// 3 c2 conv 3x3 pad 1 -> 4x4x8, MACC 9*4*8*16 = 4608     8 f2 fc 10, MACC 16*10 = 160
// 4 r2 relu (4x4x8: 512 bytes)
export const TINY_CHAIN: ModelSpec = {
  name: 'tiny',
  inputShape: [8, 8, 2],
  layers: [
    { id: 'c1', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
    { id: 'r1', type: 'activation', activation: 'relu' },
    { id: 'p1', type: 'maxpool', kernel: 2 },
    { id: 'c2', type: 'conv', kernel: 3, padding: 1, outChannels: 8 },
    { id: 'r2', type: 'activation', activation: 'relu' },
    { id: 'fl', type: 'flatten' },
    { id: 'f1', type: 'fc', outChannels: 16 },
    { id: 'r3', type: 'activation', activation: 'relu' },
    { id: 'f2', type: 'fc', outChannels: 10 },
  ],
};

export const TINY_CATALOG: readonly VariantInfo[] = [
  // MACC 9*4*16 = 576 (depthwise) + 4*8*16 = 512 (pointwise).
  { id: 'C1@c2', technique: 'C1', firstLayer: 3, lastLayer: 3, layers: [
    { id: 'c2_dw', type: 'depthwise', kernel: 3, padding: 1 },
    { id: 'c2_pw', type: 'conv', kernel: 1, outChannels: 8 },
  ] },
  // MACC 128*4 = 512 + 4*16 = 64.
  { id: 'F1@f1', technique: 'F1', firstLayer: 6, lastLayer: 6, layers: [
    { id: 'f1_a', type: 'fc', outChannels: 4, useBias: false },
    { id: 'f1_b', type: 'fc', outChannels: 16 },
  ] },
  // gap 4x4x8 -> 8, fc 10: MACC 80. Overlaps F1@f1.
  { id: 'F3@head', technique: 'F3', firstLayer: 5, lastLayer: 8, layers: [
    { id: 'gap', type: 'gap' },
    { id: 'head', type: 'fc', outChannels: 10 },
  ] },
  // Half of c1's filters, and c2 reading 2 channels: MACC 9*2*2*64 = 2304 + 9*2*8*16 = 2304. Overlaps C1@c2.
  { id: 'W1@c1', technique: 'W1', firstLayer: 0, lastLayer: 3, layers: [
    { id: 'c1', type: 'conv', kernel: 3, padding: 1, outChannels: 2 },
    { id: 'r1', type: 'activation', activation: 'relu' },
    { id: 'p1', type: 'maxpool', kernel: 2 },
    { id: 'c2', type: 'conv', kernel: 3, padding: 1, outChannels: 8 },
  ] },
];

export const PHONE: DeviceProfile = {
  formatVersion: 1,
  name: 'phone',
  device: { id: 'phone' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-3, interceptMs: 0.5 },
    { layerType: 'conv', kernel: 1, slopeMsPerMacc: 1e-3, interceptMs: 0.2 },
    { layerType: 'depthwise', kernel: 3, slopeMsPerMacc: 2e-3, interceptMs: 0.3 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 2e-3, interceptMs: 0.1 },
  ],
  otherLayerMs: 0.05,
  transfer: [{ bandwidthMbps: 8, interceptMs: 2, slopeMsPerByte: 0.001 }],
};

export const SERVER: DeviceProfile = {
  formatVersion: 1,
  name: 'server',
  device: { id: 'cloud' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-5, interceptMs: 0.01 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-5, interceptMs: 0.01 },
  ],
  transfer: [],
};

/** Accuracy points each technique costs in the tiny problem. */
export const TECHNIQUE_COST: Readonly<Partial<Record<TechniqueId, number>>> = { C1: 0.01, F1: 0.005, F3: 0.02, W1: 0.03 };

/** 0.9 minus the cost of each variant's technique. */
export function tinyAccuracy(catalog: readonly VariantInfo[] = TINY_CATALOG, base = 0.9): AccuracyOracle {
  const technique = new Map(catalog.map((v) => [v.id, v.technique]));
  return (c) => Promise.resolve(c.variantIds.reduce((a, id) => a - (TECHNIQUE_COST[technique.get(id) as TechniqueId] ?? 0), base));
}

export function tinyProblem(overrides: Partial<SearchProblem> = {}): SearchProblem {
  return { base: TINY_CHAIN, catalog: TINY_CATALOG, device: PHONE, cloud: SERVER, accuracy: tinyAccuracy(), reward: PAPER_REWARD, ...overrides };
}

/** A slower phone (5x the compute of PHONE): at 0.05 Mbit/s it pays to run and compress on it, at 2 Mbit/s to send the input. */
export const SLOW_PHONE: DeviceProfile = {
  ...PHONE,
  name: 'slow phone',
  compute: PHONE.compute.map((c) => ({ ...c, slopeMsPerMacc: 5 * c.slopeMsPerMacc })),
};
