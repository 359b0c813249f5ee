import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { finishResult } from './finish-result.ts';
import { heNormal } from './fresh-weights.ts';
import { ParamReader } from './param-reader.ts';
import { inputsOf, spliceLayers, spliceWeights } from './spec-splice.ts';
import type { TargetLayer } from './target-layer.ts';
import { consumersOf, requireType, targetLayer } from './target-layer.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const GAP_PARAMS: readonly TechniqueParamDoc[] = [
  { name: 'seed', type: 'integer', default: '1', doc: 'Seed of the He-normal start of the new FC (when one is needed).' },
];

/** Layers that may sit in the FC run between the flatten and the classifier. */
const RUN_TYPES: ReadonlySet<string> = new Set(['fc', 'activation', 'dropout', 'bn']);

interface FcRun {
  flatten: number;
  /** The last FC of the model: its units are the classes. */
  classifier: number;
}

/**
 * F3: the classifier head `flatten, FC, ..., FC (classes)` becomes `<flatten>_gap`
 * (global average pooling) and, when the pooled channels differ from the classes,
 * one new FC `<classifier>_gap` to the classes with the classifier's activation
 * (an activation layer `<classifier>_act` instead when they are equal). Layers after
 * the classifier (a softmax, say) stay. The layer may be the flatten or any FC of
 * the run. The new FC starts He-normal (seeded) with a zero bias: without data a
 * least-squares fit has nothing to fit, so the block is trained by distillation
 * (issue 4 item 5) before it is evaluated.
 */
export function applyGapForFc(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('F3', spec, ref);
  const run = findFcRun(target);
  const reader = new ParamReader(target, params, GAP_PARAMS);
  const random = new SeededRandom(reader.integer('seed', 1, 0, 2 ** 31 - 1));
  const flatten = target.model.layers[run.flatten];
  const classifier = target.model.layers[run.classifier];
  const channels = flatten.inputShapes[0][2];
  const classes = classifier.outputShape[0];
  const gapId = `${flatten.layer.id}_gap`;
  const newLayers: LayerSpec[] = [{ id: gapId, type: 'gap', ...inputsOf(flatten.layer) }];
  const added = new Map<string, LayerWeights>();
  const activation = classifier.layer.activation;
  if (channels !== classes) {
    const fc: LayerSpec = { id: `${classifier.layer.id}_gap`, type: 'fc', outChannels: classes };
    if (activation !== undefined) fc.activation = activation;
    if (classifier.layer.useBias === false) fc.useBias = false;
    newLayers.push(fc);
    const w: LayerWeights = { kernel: heNormal(channels * classes, channels, random) };
    if (classifier.layer.useBias !== false) w.bias = new Float32Array(classes);
    added.set(fc.id, w);
  } else if (activation !== undefined && activation !== 'linear') {
    newLayers.push({ id: `${classifier.layer.id}_act`, type: 'activation', activation });
  }
  const replaced = spec.layers.slice(run.flatten, run.classifier + 1).map((l) => l.id);
  const fcCount = target.model.layers.slice(run.flatten, run.classifier + 1).filter((l) => l.layer.type === 'fc').length;
  return finishResult(target, {
    spec: spliceLayers(target, spec, run.flatten, replaced.length, newLayers),
    weights: spliceWeights(weights, replaced, added),
    description: `F3 global average pooling: "${flatten.layer.id}" and the ${fcCount} FC layer${fcCount === 1 ? '' : 's'} up to "${classifier.layer.id}" replaced by global average pooling of ${channels} channels${channels !== classes ? ` and a new FC to ${classes} classes (random start, to be trained by distillation)` : ''}.`,
    replacedLayerIds: replaced,
    newLayerIds: newLayers.map((l) => l.id),
    details: { channels, classes, replacedFc: fcCount },
  });
}

/** The flatten before the layer (or the layer itself) and the classifier after it, all one chain to the end. */
function findFcRun(target: TargetLayer): FcRun {
  requireType(target, ['flatten', 'fc'], 'it replaces a flatten and its FC layers');
  const layers = target.model.layers;
  let flatten = target.index;
  while (layers[flatten].layer.type !== 'flatten') {
    const producer = layers[flatten].inputIds[0];
    const p = layers.findIndex((l) => l.layer.id === producer);
    if (p < 0 || (!RUN_TYPES.has(layers[p].layer.type) && layers[p].layer.type !== 'flatten')) {
      target.fail(`there is no flatten + FC run to replace: the FC layers read ${p < 0 ? 'the model input' : `"${producer}" (${layers[p].layer.type})`}, not a flatten`);
    }
    flatten = p;
  }
  if (layers[flatten].inputShapes[0].length !== 3) target.fail(`the flatten "${layers[flatten].layer.id}" reads a vector, not a feature map to pool`);
  let classifier = -1;
  for (let i = flatten + 1; i < layers.length; i++) {
    const l = layers[i];
    if (!RUN_TYPES.has(l.layer.type) || l.inputIds.length !== 1 || l.inputIds[0] !== layers[i - 1].layer.id) {
      target.fail(`there is no plain FC run to replace: "${l.layer.id}" (${l.layer.type}) after the flatten is not a chain of FC, activation, dropout or bn layers to the output`);
    }
    if (l.layer.type === 'fc') classifier = i;
  }
  for (let i = flatten; i < layers.length - 1; i++) {
    if (consumersOf(target.model, i).length !== 1) target.fail(`"${layers[i].layer.id}" feeds more than one layer: the FC run is not a plain chain`);
  }
  if (classifier < 0) target.fail(`there is no FC run to replace: no FC layer follows the flatten "${layers[flatten].layer.id}"`);
  return { flatten, classifier };
}

export const GAP_TECHNIQUE: Technique = {
  id: 'F3',
  name: 'Global average pooling',
  appliesTo: ['flatten', 'fc'],
  summary: 'Replaces the flatten and the FC layers of the classifier head by global average pooling (and one FC to the classes when needed).',
  params: GAP_PARAMS,
  check: (spec, ref) => {
    findFcRun(targetLayer('F3', spec, ref));
  },
  apply: applyGapForFc,
};
