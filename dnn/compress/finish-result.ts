import { analyzeModel } from '../spec/analyze.ts';
import { ModelSpecError } from '../spec/errors.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import type { TargetLayer } from './target-layer.ts';
import type { CompressionResult } from './technique.ts';

export interface FinishInput {
  spec: ModelSpec;
  weights: WeightSet;
  description: string;
  replacedLayerIds: string[];
  newLayerIds: string[];
  details?: Record<string, number>;
  /** MACCs to subtract from the analysed total (F2 with sparseMacc: the zeros of the sparse factor). */
  maccDiscount?: number;
}

/**
 * Analyses the new spec (a shape that no longer fits is a bug in the transform,
 * reported as CompressionError) and fills in the before / after figures.
 */
export function finishResult(target: TargetLayer, input: FinishInput): CompressionResult {
  let after;
  try {
    after = analyzeModel(input.spec);
  } catch (err) {
    if (err instanceof ModelSpecError) target.fail(`the transformed model does not fit together: ${err.message}`);
    throw err;
  }
  const sameOutput = after.outputShape.length === target.model.outputShape.length && after.outputShape.every((d, i) => d === target.model.outputShape[i]);
  if (!sameOutput) target.fail(`the transformed model's output [${after.outputShape.join(', ')}] differs from [${target.model.outputShape.join(', ')}]`);
  const maccAfter = after.macc - (input.maccDiscount ?? 0);
  // Valid but worth saying: e.g. a Fire module on a conv with few input channels, or an SVD rank near full.
  const costlier = maccAfter > target.model.macc ? ` This costs more MACCs than the original (${target.model.macc} -> ${maccAfter}).` : '';
  return {
    technique: target.technique,
    spec: input.spec,
    weights: input.weights,
    maccBefore: target.model.macc,
    maccAfter,
    paramsBefore: target.model.params,
    paramsAfter: after.params,
    description: input.description + costlier,
    replacedLayerIds: input.replacedLayerIds,
    newLayerIds: input.newLayerIds,
    details: input.details ?? {},
  };
}
