/**
 * What the search needs from the accuracy side: the trained base model, its
 * distilled pluggable variants, and an accuracy oracle over the validation split
 * with the store's memory pool (the cut never changes accuracy, paper Eq. 2).
 */
import type { Database } from 'better-sqlite3';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { VariantSource } from '../api/search-api.ts';
import type { AccuracyOracle, VariantInfo } from '../search/problem.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { pooledAccuracy } from './accuracy-pool.ts';
import { loadBaseModel } from './trained-models.ts';
import type { BaseModel, TrainedModelName } from './trained-models.ts';
import { prepareVariants } from './variant-catalog.ts';
import { DISTILL_DEFAULTS } from './distill-variant.ts';
import type { CatalogVariant } from './variant-catalog.ts';

export interface SearchInputOptions {
  /** Validation images per evaluation (default 2000). */
  valImages?: number;
  techniques?: readonly TechniqueId[];
  /** Distillation: training images and epochs per variant (defaults DISTILL_DEFAULTS). */
  distillImages?: number;
  distillEpochs?: number;
  /** Who trained the variants (default the studio, with the budget above). */
  variants?: VariantSource;
  dataDir?: string;
  trainedDir?: string;
  onProgress?: (p: { phase: string; done: number; total: number; detail?: string }) => void;
}

export interface SearchInputs {
  base: ModelSpec;
  baseModel: BaseModel;
  catalog: VariantInfo[];
  variants: CatalogVariant[];
  accuracy: AccuracyOracle;
  baseAccuracy: number;
  weightsId: string;
  /** Variant id to its key in the variant store. */
  variantKeys: Record<string, string>;
  /** Evaluations run and answered from the pool so far. */
  stats(): { evaluations: number; cached: number };
}

export async function openSearchInputs(db: Database, model: TrainedModelName, dataset: DatasetName, o: SearchInputOptions = {}): Promise<SearchInputs> {
  const baseModel = loadBaseModel(model, dataset, o.trainedDir);
  const variants = await prepareVariants(db, baseModel, {
    techniques: o.techniques, images: o.distillImages, epochs: o.distillEpochs, trainer: o.variants,
    train: () => loadDataset(dataset, 'train', { dataDir: o.dataDir, limit: o.distillImages ?? DISTILL_DEFAULTS.images }),
    onProgress: (p) => o.onProgress?.({ phase: 'variants', done: p.done, total: p.total, detail: `${p.variant}${p.cached ? ' (stored)' : ' (distilled)'}` }),
  });
  const val = await loadDataset(dataset, 'val', { dataDir: o.dataDir, limit: o.valImages ?? 2000 });
  const byId = new Map(variants.map((v) => [v.info.id, v]));
  let evaluations = 0;
  let cached = 0;
  const accuracy: AccuracyOracle = async (c) => {
    const chosen = c.variantIds.map((id) => {
      const v = byId.get(id);
      if (v === undefined) throw new RangeError(`composition names variant ${id}, which ${model}/${dataset} does not have`);
      return v;
    });
    const r = pooledAccuracy(db, baseModel, chosen, val);
    evaluations += 1;
    if (r.cached) cached += 1;
    return Promise.resolve(r.accuracy);
  };
  const baseAccuracy = await accuracy({ cut: baseModel.spec.layers.length, variantIds: [] });
  return {
    base: baseModel.spec, baseModel, catalog: variants.map((v) => v.info), variants, accuracy, baseAccuracy, weightsId: baseModel.weightsId,
    variantKeys: Object.fromEntries(variants.map((v) => [v.info.id, v.key])),
    stats: () => ({ evaluations, cached }),
  };
}
