/** What every compression technique (paper Table II) is and returns. */
import type { LayerType, ModelSpec } from '../spec/layer-spec.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';

export type TechniqueId = 'F1' | 'F2' | 'F3' | 'C1' | 'C2' | 'C3' | 'W1';
export const TECHNIQUE_IDS: readonly TechniqueId[] = ['F1', 'F2', 'F3', 'C1', 'C2', 'C3', 'W1'];

/** A layer by its position in the model's list or by its id. */
export type LayerRef = number | string;

/** Named parameters, e.g. `{ rank: 32 }` or `{ ratio: 0.5 }`; each technique documents its own. */
export type TechniqueParams = Readonly<Record<string, number | boolean>>;

export interface TechniqueParamDoc {
  name: string;
  type: 'integer' | 'number' | 'boolean';
  /** The default, or how it is derived when the layer decides it. */
  default: string;
  doc: string;
}

/** A transformed model: a new spec and new weights; the input objects are left as they were. */
export interface CompressionResult {
  technique: TechniqueId;
  spec: ModelSpec;
  weights: WeightSet;
  /** Whole-model MACCs and parameters (analyzeModel) before and after. */
  maccBefore: number;
  maccAfter: number;
  paramsBefore: number;
  paramsAfter: number;
  /** One or two sentences: what replaced what, with the chosen figures. */
  description: string;
  /** Ids of the layers the technique replaced, and of those it put in. */
  replacedLayerIds: string[];
  newLayerIds: string[];
  /** Technique figures, e.g. rank, relativeError, keptFilters, nonZeros. */
  details: Record<string, number>;
}

export interface Technique {
  id: TechniqueId;
  /** e.g. 'SVD', 'MobileNet'. */
  name: string;
  /** Layer types the technique may be applied to (the check decides the rest). */
  appliesTo: readonly LayerType[];
  summary: string;
  params: readonly TechniqueParamDoc[];
  /** Throws CompressionError when the technique does not fit the layer (parameters aside). */
  check(spec: ModelSpec, layer: LayerRef): void;
  apply(spec: ModelSpec, weights: WeightSet, layer: LayerRef, params?: TechniqueParams): CompressionResult;
}
