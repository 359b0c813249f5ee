/**
 * Where packaging gets a searched model's spec, variants and weights. The default takes
 * the built-in spec and loadBaseWeights (cloud/base-weights.ts: the same weights the
 * cloud server serves, seeded until trained ones ship) and no variant weights: a tree
 * that chose variants is refused by name until the accuracy side's variant store is
 * plugged in here (StudioServicesOptions.bundleSource).
 */
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { builtinModel, isBuiltinModelName } from '../dnn/models/builtin.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import { isDatasetName } from '../dnn/models/datasets.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { VariantInfo } from '../search/problem.ts';
import type { WeightsOf } from '../bundle/node-work.ts';
import { PackageRequestError } from './package-request-error.ts';

export interface BundleSource {
  base: ModelSpec;
  catalog: readonly VariantInfo[];
  weightsOf: WeightsOf;
  /** Where the base weights came from, for the result. */
  weightsSource: string;
  warnings: string[];
}

export type BundleSourceProvider = (model: string, dataset: DatasetName, variantIds: readonly string[]) => Promise<BundleSource>;

export const baseWeightsBundleSource: BundleSourceProvider = async (model, dataset, variantIds) => {
  if (!isBuiltinModelName(model) || !isDatasetName(dataset)) throw new PackageRequestError(`no built-in model ${model} for ${dataset}`);
  if (variantIds.length > 0) {
    throw new PackageRequestError(`the tree chooses variants (${variantIds.join(', ')}) and this build has no variant weights to package (the accuracy side's variant store is not plugged in)`);
  }
  const base = loadBaseWeights(model, dataset);
  return { base: builtinModel(model, dataset), catalog: [], weightsOf: () => base.weights, weightsSource: base.source, warnings: base.warning ? [base.warning] : [] };
};
