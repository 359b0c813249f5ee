import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { BN_EPSILON, checkPlainConv, convShapes } from './conv-checks.ts';
import { finishResult } from './finish-result.ts';
import { zeros } from './matrix.ts';
import { ParamReader } from './param-reader.ts';
import { inputsOf, spliceLayers, spliceWeights } from './spec-splice.ts';
import { svd } from './svd.ts';
import { layerWeightsOf, targetLayer } from './target-layer.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const MOBILENET_PARAMS: readonly TechniqueParamDoc[] = [
  {
    name: 'linearRange', type: 'number', default: '4',
    doc: 'At the start the BN between the two convs shifts each channel so that inputs within ±linearRange pass its ReLU unclipped (0: no shift, a plain identity BN).',
  },
];

/**
 * C1: a KxK conv (K > 1, groups 1) into a KxK depthwise conv `<id>_dw` (the
 * original stride and padding, no bias), BN `<id>_dw_bn`, ReLU `<id>_dw_relu`
 * (as MobileNet) and a 1x1 pointwise conv `<id>_pw` (the original output channels,
 * bias and activation). MACCs K²·C_in·H·W + C_in·C_out·H·W.
 *
 * Start: the best rank-1 fit of each input channel's slice K[:, :, c, :] (K² x C_out),
 * σ u vᵀ by SVD: depthwise filter c = sqrt(σ) u, pointwise row c = sqrt(σ) v. The
 * pair then computes the conv with kernel Σ_c σ u vᵀ exactly, except for the ReLU
 * between; the BN adds shift_c = linearRange · ‖dw_c‖₁ (bounding |dw output| for
 * inputs within ±linearRange) and the pointwise bias subtracts its effect, so for
 * such inputs the ReLU does nothing and the block starts at the rank-1 approximation
 * (exact where each slice has rank 1). Distillation trains it from there.
 * details: relativeError = ‖K - K₁‖_F / ‖K‖_F of the kernel.
 */
export function applyMobileNetConv(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('C1', spec, ref);
  checkPlainConv(target, true, 'it splits a spatial conv into depthwise and pointwise');
  const reader = new ParamReader(target, params, MOBILENET_PARAMS);
  const range = reader.number('linearRange', 4, 0, 1e6, false);
  const original = layerWeightsOf(target, target.analysis, weights);
  const { cIn, cOut, k } = convShapes(target);
  const kernel = original.kernel as Float32Array;
  const taps = k * k;
  const dw = new Float32Array(taps * cIn);
  const pw = new Float32Array(cIn * cOut);
  const shift = new Float32Array(cIn);
  let dropped = 0;
  let total = 0;
  for (let c = 0; c < cIn; c++) {
    const slice = zeros(taps, cOut);
    for (let t = 0; t < taps; t++) for (let o = 0; o < cOut; o++) slice.data[t * cOut + o] = kernel[(t * cIn + c) * cOut + o];
    const d = svd(slice);
    const r = d.s.length;
    const root = Math.sqrt(d.s[0]);
    let l1 = 0;
    for (let t = 0; t < taps; t++) {
      dw[t * cIn + c] = d.u.data[t * r] * root;
      l1 += Math.abs(dw[t * cIn + c]);
    }
    for (let o = 0; o < cOut; o++) pw[c * cOut + o] = d.v.data[o * r] * root;
    shift[c] = range * l1;
    d.s.forEach((s, i) => {
      total += s * s;
      if (i > 0) dropped += s * s;
    });
  }
  // Pointwise bias: the original's, less what the BN shift adds through the pointwise weights.
  const pwBias = new Float32Array(cOut);
  for (let o = 0; o < cOut; o++) {
    let sum = original.bias ? original.bias[o] : 0;
    for (let c = 0; c < cIn; c++) sum -= pw[c * cOut + o] * shift[c];
    pwBias[o] = sum;
  }
  const { layer } = target;
  const ids = { dw: `${layer.id}_dw`, bn: `${layer.id}_dw_bn`, relu: `${layer.id}_dw_relu`, pw: `${layer.id}_pw` };
  const pwLayer: LayerSpec = { id: ids.pw, type: 'conv', kernel: 1, outChannels: cOut };
  if (layer.activation !== undefined) pwLayer.activation = layer.activation;
  const needsBias = layer.useBias !== false || range > 0;
  if (!needsBias) pwLayer.useBias = false;
  const newLayers: LayerSpec[] = [
    { id: ids.dw, type: 'depthwise', kernel: k, stride: layer.stride ?? 1, padding: layer.padding ?? 0, useBias: false, ...inputsOf(layer) },
    { id: ids.bn, type: 'bn' },
    { id: ids.relu, type: 'activation', activation: 'relu' },
    pwLayer,
  ];
  const bn = {
    gamma: new Float32Array(cIn).fill(1),
    beta: shift,
    movingMean: new Float32Array(cIn),
    movingVariance: new Float32Array(cIn).fill(1 - BN_EPSILON), // scale exactly 1
  };
  return finishResult(target, {
    spec: spliceLayers(target, spec, target.index, 1, newLayers),
    weights: spliceWeights(weights, [layer.id], new Map<string, LayerWeights>([
      [ids.dw, { kernel: dw }],
      [ids.bn, bn],
      [ids.pw, needsBias ? { kernel: pw, bias: pwBias } : { kernel: pw }],
    ])),
    description: `C1 MobileNet: conv "${layer.id}" (${k}x${k}, ${cIn} -> ${cOut}) into a ${k}x${k} depthwise conv, BN, ReLU and a 1x1 pointwise conv, started from the rank-1 fit of each input channel's filters (kernel error ${total === 0 ? 0 : Math.sqrt(dropped / total).toFixed(4)} of its norm).`,
    replacedLayerIds: [layer.id],
    newLayerIds: Object.values(ids),
    details: { relativeError: total === 0 ? 0 : Math.sqrt(dropped / total), linearRange: range },
  });
}

export const MOBILENET_TECHNIQUE: Technique = {
  id: 'C1',
  name: 'MobileNet',
  appliesTo: ['conv'],
  summary: 'Splits a KxK conv into a KxK depthwise conv and a 1x1 pointwise conv, started from a rank-1 fit per input channel.',
  params: MOBILENET_PARAMS,
  check: (spec, ref) => checkPlainConv(targetLayer('C1', spec, ref), true, 'it splits a spatial conv into depthwise and pointwise'),
  apply: applyMobileNetConv,
};
