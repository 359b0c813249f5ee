import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { BN_EPSILON, checkPlainConv, convShapes } from './conv-checks.ts';
import { finishResult } from './finish-result.ts';
import { heNormal, identityBn } from './fresh-weights.ts';
import { ParamReader } from './param-reader.ts';
import { inputsOf, spliceLayers, spliceWeights } from './spec-splice.ts';
import { layerWeightsOf, targetLayer } from './target-layer.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const MOBILENET_V2_PARAMS: readonly TechniqueParamDoc[] = [
  {
    name: 'expansion', type: 'number', default: '1',
    doc: 'Channels of the expansion conv as a multiple of the input channels (rounded, at least 1), (0, 16]. MobileNetV2 uses 6 on narrow bottlenecks; the block here replaces a full-width conv, so 1 saves MACCs.',
  },
  { name: 'seed', type: 'integer', default: '1', doc: 'Seed of the He-normal start of the new convs.' },
];

const WHY = 'it builds an inverted residual around a spatial conv';

/**
 * C2: a KxK conv (K > 1, groups 1) into MobileNetV2's inverted residual: expansion
 * 1x1 conv `<id>_expand` (t·C_in channels, no bias) + BN + ReLU6, KxK depthwise
 * `<id>_dw` (the original stride and padding, no bias) + BN + ReLU6, linear
 * projection 1x1 conv `<id>_project` (C_out, the original bias), and, when the
 * output has the input's shape (stride 1, same channels, size kept), `<id>_add`
 * of the projection and the block input, followed by `<id>_act` when the original
 * conv had a fused activation. Otherwise no residual (the description says so) and
 * the projection carries the original activation.
 * Start: He-normal convs (seeded), identity BNs, the original bias; there is no
 * faithful way to carry the original kernel over, so the block is trained by
 * distillation (issue 4 item 5) before it is evaluated.
 */
export function applyMobileNetV2Conv(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('C2', spec, ref);
  checkPlainConv(target, true, WHY);
  const reader = new ParamReader(target, params, MOBILENET_V2_PARAMS);
  const expansion = reader.number('expansion', 1, 0, 16, true);
  const random = new SeededRandom(reader.integer('seed', 1, 0, 2 ** 31 - 1));
  const original = layerWeightsOf(target, target.analysis, weights);
  const { input, output, cIn, cOut, k } = convShapes(target);
  const hidden = Math.max(1, Math.round(expansion * cIn));
  const residual = input.length === output.length && input.every((d, i) => d === output[i]);
  const { layer } = target;
  const id = layer.id;
  const activation = layer.activation !== undefined && layer.activation !== 'linear' ? layer.activation : undefined;
  const project: LayerSpec = { id: `${id}_project`, type: 'conv', kernel: 1, outChannels: cOut };
  if (layer.useBias === false) project.useBias = false;
  if (!residual && activation) project.activation = activation;
  const newLayers: LayerSpec[] = [
    { id: `${id}_expand`, type: 'conv', kernel: 1, outChannels: hidden, useBias: false, ...inputsOf(layer) },
    { id: `${id}_expand_bn`, type: 'bn' },
    { id: `${id}_expand_relu`, type: 'activation', activation: 'relu6' },
    { id: `${id}_dw`, type: 'depthwise', kernel: k, stride: layer.stride ?? 1, padding: layer.padding ?? 0, useBias: false },
    { id: `${id}_dw_bn`, type: 'bn' },
    { id: `${id}_dw_relu`, type: 'activation', activation: 'relu6' },
    project,
  ];
  if (residual) {
    newLayers.push({ id: `${id}_add`, type: 'add', inputs: [project.id, target.analysis.inputIds[0]] });
    if (activation) newLayers.push({ id: `${id}_act`, type: 'activation', activation });
  }
  const projectWeights: LayerWeights = { kernel: heNormal(hidden * cOut, hidden, random) };
  if (original.bias) projectWeights.bias = Float32Array.from(original.bias);
  const added = new Map<string, LayerWeights>([
    [`${id}_expand`, { kernel: heNormal(cIn * hidden, cIn, random) }],
    [`${id}_expand_bn`, identityBn(hidden, BN_EPSILON)],
    [`${id}_dw`, { kernel: heNormal(k * k * hidden, k * k, random) }],
    [`${id}_dw_bn`, identityBn(hidden, BN_EPSILON)],
    [project.id, projectWeights],
  ]);
  return finishResult(target, {
    spec: spliceLayers(target, spec, target.index, 1, newLayers),
    weights: spliceWeights(weights, [id], added),
    description: `C2 MobileNetV2: conv "${id}" (${k}x${k}, ${cIn} -> ${cOut}) into an inverted residual: 1x1 expansion to ${hidden}, ${k}x${k} depthwise, 1x1 linear projection to ${cOut}, ${residual ? 'with a residual add of the block input' : `without a residual (the input [${input.join(', ')}] and output [${output.join(', ')}] differ)`}; random start, to be trained by distillation.`,
    replacedLayerIds: [id],
    newLayerIds: newLayers.map((l) => l.id),
    details: { hidden, residual: residual ? 1 : 0 },
  });
}

export const MOBILENET_V2_TECHNIQUE: Technique = {
  id: 'C2',
  name: 'MobileNetV2',
  appliesTo: ['conv'],
  summary: 'Replaces a KxK conv by an expansion 1x1 conv, a KxK depthwise conv and a linear 1x1 projection, with a residual add where shapes allow.',
  params: MOBILENET_V2_PARAMS,
  check: (spec, ref) => checkPlainConv(targetLayer('C2', spec, ref), true, WHY),
  apply: applyMobileNetV2Conv,
};
