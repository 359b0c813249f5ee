/**
 * Where packaging gets a searched model's spec, variants and weights: the base model
 * from loadBaseWeights (cloud/base-weights.ts: the shipped trained model, the same one
 * the cloud server serves; seeded weights where none is shipped) and the distilled
 * variants the tree chose from the variant store, by the keys the search recorded.
 * A search made against other base weights than those shipped now is refused: its
 * variants were distilled from, and its accuracies measured on, those weights.
 */
import type { Database } from 'better-sqlite3';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { isBuiltinModelName } from '../dnn/models/builtin.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import { isDatasetName } from '../dnn/models/datasets.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { decodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import type { VariantInfo } from '../search/problem.ts';
import type { WeightsOf } from '../bundle/node-work.ts';
import { getVariant, listVariants } from '../profiles/variant-repository.ts';
import { PackageRequestError } from './package-request-error.ts';

export interface BundleSource {
  base: ModelSpec;
  catalog: readonly VariantInfo[];
  weightsOf: WeightsOf;
  /** Where the base weights came from, for the result. */
  weightsSource: string;
  warnings: string[];
}

/** What the search run recorded about the inputs it searched (services/search-service.ts). */
export interface SearchedInputs {
  weightsId?: string;
  variantKeys?: Readonly<Record<string, string>>;
}

export type BundleSourceProvider = (model: string, dataset: DatasetName, variantIds: readonly string[], searched: SearchedInputs) => Promise<BundleSource>;

export function storeBundleSource(db: Database): BundleSourceProvider {
  return (model, dataset, variantIds, searched) => {
    if (!isBuiltinModelName(model) || !isDatasetName(dataset)) throw new PackageRequestError(`no built-in model ${model} for ${dataset}`);
    const base = loadBaseWeights(model, dataset);
    if (searched.weightsId !== undefined && base.weightsId !== undefined && searched.weightsId !== base.weightsId) {
      throw new PackageRequestError(`the search ran on ${model}/${dataset} weights ${searched.weightsId} and the shipped ones are now ${base.weightsId} (${base.source}): its variants and accuracies belong to the old weights; run the search again`);
    }
    const variants = new Map<string, { info: VariantInfo; weights: WeightSet }>();
    for (const id of variantIds) {
      if (base.weightsId === undefined) throw new PackageRequestError(`the tree chooses variant ${id} and ${model}/${dataset} has no trained base model, so there are no distilled variants to package`);
      const key = searched.variantKeys?.[id];
      // Runs stored before keys were recorded: the newest stored variant with that id on these weights.
      const stored = key !== undefined ? getVariant(db, key) : listVariants(db, model, dataset, base.weightsId).filter((v) => (v.info as VariantInfo).id === id).at(-1);
      if (stored === undefined) throw new PackageRequestError(`variant ${id} of ${model}/${dataset}${key === undefined ? '' : ` (store key ${key})`} is not in the variant store: run the search again to distil it`);
      variants.set(id, { info: stored.info as VariantInfo, weights: decodeWeightSet(stored.weights, `variant ${id}`).weights });
    }
    const weightsOf: WeightsOf = (source) => {
      if (source === 'base') return base.weights;
      const v = variants.get(source.id);
      if (v === undefined) throw new PackageRequestError(`variant ${source.id} was not loaded for packaging`);
      return v.weights;
    };
    return Promise.resolve({
      base: base.spec, catalog: [...variants.values()].map((v) => v.info), weightsOf, weightsSource: base.source,
      warnings: base.warning ? [base.warning] : [],
    });
  };
}
