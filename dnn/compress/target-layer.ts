import { analyzeModel } from '../spec/analyze.ts';
import type { LayerAnalysis, ModelAnalysis } from '../spec/analyze.ts';
import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { shapeSize, weightShapes } from '../tfjs/layer-weights.ts';
import { CompressionError } from './compression-error.ts';
import type { LayerRef, TechniqueId } from './technique.ts';

/** The layer a technique works on, with the analysed model around it. */
export interface TargetLayer {
  technique: TechniqueId;
  model: ModelAnalysis;
  index: number;
  layer: LayerSpec;
  analysis: LayerAnalysis;
  /** Throws CompressionError naming the technique and this layer. */
  fail(reason: string): never;
}

const TECHNIQUE_NAMES: Record<TechniqueId, string> = {
  F1: 'F1 (SVD)', F2: 'F2 (KSVD)', F3: 'F3 (global average pooling)', C1: 'C1 (MobileNet)', C2: 'C2 (MobileNetV2)', C3: 'C3 (SqueezeNet Fire)', W1: 'W1 (filter pruning)',
};

export function techniqueLabel(id: TechniqueId): string {
  return TECHNIQUE_NAMES[id];
}

/** Finds the layer by position or id and analyses the model (shape errors surface as ModelSpecError). */
export function targetLayer(technique: TechniqueId, spec: ModelSpec, ref: LayerRef): TargetLayer {
  const label = techniqueLabel(technique);
  const model = analyzeModel(spec);
  const index = typeof ref === 'number' ? ref : spec.layers.findIndex((l) => l.id === ref);
  if (typeof ref === 'number' && !(Number.isInteger(ref) && ref >= 0 && ref < spec.layers.length)) {
    throw new CompressionError(label, spec.name, { index: ref }, `no layer at position ${ref} (the model has ${spec.layers.length} layers, 0..${spec.layers.length - 1})`);
  }
  if (index < 0) throw new CompressionError(label, spec.name, { id: String(ref) }, `no layer has the id "${String(ref)}"`);
  const layer = spec.layers[index];
  const fail = (reason: string): never => {
    throw new CompressionError(label, spec.name, { index, id: layer.id, type: layer.type }, reason);
  };
  return { technique, model, index, layer, analysis: model.layers[index], fail };
}

/** Fails unless the layer is one of the types. */
export function requireType(target: TargetLayer, types: readonly string[], why: string): void {
  if (!types.includes(target.layer.type)) target.fail(`applies to ${types.join(' or ')} layers only, this is a ${target.layer.type} layer (${why})`);
}

/** The layer's weights, checked against the shapes its spec implies. */
export function layerWeightsOf(target: TargetLayer, analysis: LayerAnalysis, weights: WeightSet): LayerWeights {
  const given = weights.get(analysis.layer.id);
  const shapes = weightShapes(analysis);
  for (const [name, shape] of Object.entries(shapes)) {
    const array = given?.[name as keyof LayerWeights];
    if (!(array instanceof Float32Array) || array.length !== shapeSize(shape)) {
      target.fail(`the weight set has no ${name} of shape [${shape.join(', ')}] for layer "${analysis.layer.id}"`);
    }
  }
  return given as LayerWeights;
}

/** Indices of the layers reading layer `index`'s output. */
export function consumersOf(model: ModelAnalysis, index: number): number[] {
  const id = model.layers[index].layer.id;
  return model.layers.filter((l) => l.inputIds.includes(id)).map((l) => l.index);
}
