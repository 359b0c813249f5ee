/** The seven compression techniques of the paper's Table II, by id. */
import type { ModelSpec } from '../spec/layer-spec.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import { CompressionError } from './compression-error.ts';
import { PRUNING_TECHNIQUE } from './filter-pruning.ts';
import { FIRE_TECHNIQUE } from './fire-conv.ts';
import { GAP_TECHNIQUE } from './gap-for-fc.ts';
import { KSVD_TECHNIQUE } from './ksvd-fc.ts';
import { MOBILENET_TECHNIQUE } from './mobilenet-conv.ts';
import { MOBILENET_V2_TECHNIQUE } from './mobilenet-v2-conv.ts';
import { SVD_TECHNIQUE } from './svd-fc.ts';
import { TECHNIQUE_IDS } from './technique.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueId, TechniqueParams } from './technique.ts';

export const TECHNIQUES: readonly Technique[] = [
  SVD_TECHNIQUE, KSVD_TECHNIQUE, GAP_TECHNIQUE, MOBILENET_TECHNIQUE, MOBILENET_V2_TECHNIQUE, FIRE_TECHNIQUE, PRUNING_TECHNIQUE,
];

export function isTechniqueId(value: unknown): value is TechniqueId {
  return typeof value === 'string' && (TECHNIQUE_IDS as readonly string[]).includes(value);
}

/** The technique with this id; an unknown id is a CompressionError listing the known ones. */
export function techniqueById(id: string, modelName = '(any)'): Technique {
  const found = TECHNIQUES.find((t) => t.id === id);
  if (!found) throw new CompressionError(String(id), modelName, {}, `unknown technique "${id}" (known: ${TECHNIQUE_IDS.join(', ')})`);
  return found;
}

/**
 * The techniques that fit the layer at `layerIndex` (their check passes; parameters
 * at their defaults may still be refused, e.g. W1 with too few filters for a ratio).
 */
export function applicableTechniques(spec: ModelSpec, layerIndex: number): TechniqueId[] {
  return TECHNIQUES.filter((t) => {
    if (!t.appliesTo.includes(spec.layers[layerIndex]?.type)) return false;
    try {
      t.check(spec, layerIndex);
      return true;
    } catch (err) {
      if (err instanceof CompressionError) return false;
      throw err;
    }
  }).map((t) => t.id);
}

/** Applies a technique by id: `applyTechnique('C1', spec, weights, 'conv4')`. */
export function applyTechnique(id: TechniqueId | string, spec: ModelSpec, weights: WeightSet, layer: LayerRef, params: TechniqueParams = {}): CompressionResult {
  return techniqueById(id, spec.name).apply(spec, weights, layer, params);
}

