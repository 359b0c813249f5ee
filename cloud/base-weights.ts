/**
 * Where the cloud server gets a built-in base model's weights. HOOK: trained
 * weights are not shipped yet; until they are, this returns the seeded
 * initWeights set and says so in `warning`. When trained weights land, load
 * them here (and set trained: true); `edgetree cloud serve` and anything else
 * that needs the base model's weights calls this one function.
 */
import type { BuiltinModelName } from '../dnn/models/builtin.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';

export interface BaseWeights {
  weights: WeightSet;
  /** Trained on the data set (false: seeded random weights, the answers are meaningless as classes). */
  trained: boolean;
  /** Where they came from, e.g. "initWeights seed 1". */
  source: string;
  warning?: string;
}

/** The seed every studio part uses for untrained base weights, so device and cloud agree. */
export const BASE_WEIGHTS_SEED = 1;

export function loadBaseWeights(model: BuiltinModelName, dataset: DatasetName): BaseWeights {
  const spec = builtinModel(model, dataset);
  return {
    weights: initWeights(spec, BASE_WEIGHTS_SEED),
    trained: false,
    source: `initWeights seed ${BASE_WEIGHTS_SEED}`,
    warning: `no trained weights for ${model} on ${dataset} yet: serving seeded random weights (initWeights seed ${BASE_WEIGHTS_SEED}); outputs match a device using the same seed but are not classifications`,
  };
}
