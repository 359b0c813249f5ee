import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { checkPlainConv, convShapes } from './conv-checks.ts';
import { finishResult } from './finish-result.ts';
import { heNormal } from './fresh-weights.ts';
import { ParamReader } from './param-reader.ts';
import { inputsOf, spliceLayers, spliceWeights } from './spec-splice.ts';
import type { TargetLayer } from './target-layer.ts';
import { layerWeightsOf, targetLayer } from './target-layer.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const FIRE_PARAMS: readonly TechniqueParamDoc[] = [
  { name: 'squeeze', type: 'integer', default: 'round(C_out / 8), at least 1', doc: 's, channels of the squeeze 1x1 conv: 1 .. C_out.' },
  { name: 'expand1', type: 'integer', default: 'floor(C_out / 2)', doc: 'e1, channels of the 1x1 expand conv: 1 .. C_out - 1; the 3x3 expand gets e3 = C_out - e1.' },
  { name: 'seed', type: 'integer', default: '1', doc: 'Seed of the He-normal start of the new convs.' },
];

const WHY = 'a Fire module replaces an ordinary conv';

/**
 * C3: a conv (groups 1) into SqueezeNet's Fire module: squeeze 1x1 conv
 * `<id>_squeeze` (s channels, ReLU, the original stride), then 1x1 `<id>_expand1`
 * (e1 channels) and 3x3 'same' `<id>_expand3` (e3 channels) side by side, joined by
 * `<id>_concat` (e1 + e3 = C_out, so the rest of the model is unchanged). The expand
 * convs take the original's activation and bias setting (SqueezeNet's ReLU when the
 * original has one). The squeeze's stride reproduces the original's output size
 * when its padding keeps the size ('same' or (K-1)/2); a conv with less padding
 * shrinks the map and is refused.
 * Start: He-normal convs (seeded), zero biases; trained by distillation (issue 4 item 5).
 */
export function applyFireConv(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('C3', spec, ref);
  checkFire(target);
  const { input, cIn, cOut } = convShapes(target);
  const reader = new ParamReader(target, params, FIRE_PARAMS);
  const s = reader.integer('squeeze', Math.max(1, Math.round(cOut / 8)), 1, cOut);
  const e1 = reader.integer('expand1', Math.floor(cOut / 2), 1, cOut - 1);
  const e3 = cOut - e1;
  const random = new SeededRandom(reader.integer('seed', 1, 0, 2 ** 31 - 1));
  layerWeightsOf(target, target.analysis, weights);
  const { layer } = target;
  const id = layer.id;
  const expand = (suffix: string, kernel: number, channels: number, inputs?: string[]): LayerSpec => {
    const l: LayerSpec = { id: `${id}_${suffix}`, type: 'conv', kernel, padding: kernel === 1 ? 0 : 'same', outChannels: channels };
    if (inputs) l.inputs = inputs;
    if (layer.activation !== undefined) l.activation = layer.activation;
    if (layer.useBias === false) l.useBias = false;
    return l;
  };
  const squeeze: LayerSpec = { id: `${id}_squeeze`, type: 'conv', kernel: 1, stride: layer.stride ?? 1, padding: 0, outChannels: s, activation: 'relu', ...inputsOf(layer) };
  const newLayers: LayerSpec[] = [
    squeeze,
    expand('expand1', 1, e1),
    expand('expand3', 3, e3, [squeeze.id]),
    { id: `${id}_concat`, type: 'concat', inputs: [`${id}_expand1`, `${id}_expand3`] },
  ];
  const withBias = (kernel: Float32Array, channels: number): LayerWeights => (layer.useBias === false ? { kernel } : { kernel, bias: new Float32Array(channels) });
  const added = new Map<string, LayerWeights>([
    [squeeze.id, { kernel: heNormal(cIn * s, cIn, random), bias: new Float32Array(s) }],
    [`${id}_expand1`, withBias(heNormal(s * e1, s, random), e1)],
    [`${id}_expand3`, withBias(heNormal(9 * s * e3, 9 * s, random), e3)],
  ]);
  return finishResult(target, {
    spec: spliceLayers(target, spec, target.index, 1, newLayers),
    weights: spliceWeights(weights, [id], added),
    description: `C3 SqueezeNet Fire: conv "${id}" (${layer.kernel ?? 1}x${layer.kernel ?? 1}, ${cIn} -> ${cOut} on ${input[0]}x${input[1]}) into squeeze 1x1 to ${s}, expand 1x1 to ${e1} and 3x3 to ${e3}, concatenated; random start, to be trained by distillation.`,
    replacedLayerIds: [id],
    newLayerIds: newLayers.map((l) => l.id),
    details: { squeeze: s, expand1: e1, expand3: e3 },
  });
}

function checkFire(target: TargetLayer): void {
  checkPlainConv(target, false, WHY);
  const { input, output, cOut } = convShapes(target);
  if (cOut < 2) target.fail('the conv has 1 output channel: the two expand convs need at least one each');
  const stride = target.layer.stride ?? 1;
  const fireSize = (n: number): number => Math.floor((n - 1) / stride) + 1;
  if (fireSize(input[0]) !== output[0] || fireSize(input[1]) !== output[1]) {
    target.fail(`the conv maps ${input[0]}x${input[1]} to ${output[0]}x${output[1]}, but a Fire module (1x1 squeeze with stride ${stride}, 'same' expands) gives ${fireSize(input[0])}x${fireSize(input[1])}: its padding does not keep the size`);
  }
}

export const FIRE_TECHNIQUE: Technique = {
  id: 'C3',
  name: 'SqueezeNet',
  appliesTo: ['conv'],
  summary: 'Replaces a conv by a Fire module: a 1x1 squeeze conv, then 1x1 and 3x3 expand convs concatenated.',
  params: FIRE_PARAMS,
  check: (spec, ref) => checkFire(targetLayer('C3', spec, ref)),
  apply: applyFireConv,
};
