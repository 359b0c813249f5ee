/**
 * Where the cloud server, packaging and the field test get a built-in base model:
 * the shipped trained model (accuracy/trained-models.ts: its spec at the trained
 * width and its float16 weights) when there is one, else the full-width built-in
 * spec with seeded weights, said in `warning` (resnet18, or a data set with no
 * trained model). Device and cloud both call this one function, so they agree.
 */
import type { BuiltinModelName } from '../dnn/models/builtin.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { hasBaseModel, loadBaseModel, trainedModelsDir } from '../accuracy/trained-models.ts';
import type { TrainedModelName } from '../accuracy/trained-models.ts';

export interface BaseWeights {
  spec: ModelSpec;
  weights: WeightSet;
  /** Trained on the data set (false: seeded random weights, the answers are meaningless as classes). */
  trained: boolean;
  /** Where they came from, e.g. "trained-models/cifar10/alexnet.etw (width 0.5, 80.02% on 10000 test images)" or "initWeights seed 1". */
  source: string;
  /** sha256 prefix of the trained weights file (the accuracy pool's and variant store's key); absent for seeded weights. */
  weightsId?: string;
  warning?: string;
}

/** The seed every studio part uses for untrained base weights, so device and cloud agree. */
export const BASE_WEIGHTS_SEED = 1;

function isTrainedModelName(model: BuiltinModelName): model is TrainedModelName {
  return model === 'vgg11' || model === 'alexnet';
}

export function loadBaseWeights(model: BuiltinModelName, dataset: DatasetName, trainedDir = trainedModelsDir()): BaseWeights {
  if (isTrainedModelName(model) && hasBaseModel(model, dataset, trainedDir)) {
    const b = loadBaseModel(model, dataset, trainedDir);
    const acc = b.record.testAccuracy === undefined ? '' : `, ${(b.record.testAccuracy * 100).toFixed(2)}% on ${b.record.testImages ?? '?'} test images`;
    return { spec: b.spec, weights: b.weights, trained: true, weightsId: b.weightsId, source: `trained-models/${dataset}/${model}.etw (width ${b.record.width}${acc})` };
  }
  const spec = builtinModel(model, dataset);
  return {
    spec,
    weights: initWeights(spec, BASE_WEIGHTS_SEED),
    trained: false,
    source: `initWeights seed ${BASE_WEIGHTS_SEED}`,
    warning: `no trained weights for ${model} on ${dataset}: serving seeded random weights (initWeights seed ${BASE_WEIGHTS_SEED}); outputs match a device using the same seed but are not classifications`,
  };
}
