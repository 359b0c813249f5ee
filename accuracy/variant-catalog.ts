/**
 * The pluggable variants of a base model: every technique that fits every layer
 * (dnn/compress registry, default parameters), turned into a variant and
 * distilled once (distill-variant.ts); stored in the variants table by a hash of
 * base weights, technique, layer, parameters and distillation settings, so the
 * second call only reads them.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { applicableTechniques, applyTechnique } from '../dnn/compress/registry.ts';
import type { TechniqueId, TechniqueParams } from '../dnn/compress/technique.ts';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { decodeWeightSet, encodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import type { VariantInfo } from '../search/problem.ts';
import type { VariantSource } from '../api/search-api.ts';
import { variantFromCompression } from '../search/variant-from-compression.ts';
import type { PluggableVariant } from '../search/variant-from-compression.ts';
import { getVariant, saveVariant } from '../profiles/variant-repository.ts';
import { DISTILL_DEFAULTS, distillVariant } from './distill-variant.ts';
import type { DistillRecord } from './distill-variant.ts';
import type { BaseModel } from './trained-models.ts';

export interface CatalogOptions {
  techniques?: readonly TechniqueId[];
  /** Only these base layer indices (default all). */
  layers?: readonly number[];
  /** Technique parameters (e.g. `{ ratio: 0.25 }` for W1), the same for every candidate; part of the store key. Default: each technique's own. */
  params?: TechniqueParams;
  /** Distillation: training images used and epochs (defaults DISTILL_DEFAULTS). */
  images?: number;
  epochs?: number;
  /** Epochs of the logit-level stage (default DISTILL_DEFAULTS.logitEpochs; 0: the feature stage alone). */
  logitEpochs?: number;
  /**
   * Who trains the variants: 'studio' (default) distils them here with the budget above;
   * 'recipe' reads the ones trained by recipes/pytorch/distill_variants.py and brought in
   * with `edgetree variants import` (the budget does not apply; a missing one is an error).
   */
  trainer?: VariantSource;
  /** Training images; loaded by the caller (the train split). Needed only when a variant must be distilled. */
  train: () => Promise<ImageDataset>;
  onProgress?: (p: { phase: 'variants'; done: number; total: number; variant: string; cached: boolean }) => void;
}

export interface CatalogVariant extends PluggableVariant {
  key: string;
  record: DistillRecord & { maccBefore: number; maccAfter: number; description: string };
  cached: boolean;
}

/** A variant the search needs was not brought in from the recipe. */
export class VariantMissingError extends Error {
  constructor(model: string, dataset: string, missing: readonly string[]) {
    super(`${model}/${dataset}: no variant trained by the recipe for ${missing.join(', ')}: make them with \`edgetree variants export\`, recipes/pytorch/distill_variants.py and \`edgetree variants import\` (or search with the studio's own distillation)`);
    this.name = 'VariantMissingError';
  }
}

/** Sorted so that {a, b} and {b, a} name the same variant; {} keeps the keys of variants stored before params existed. */
export function sortedParams(params: TechniqueParams | undefined): Record<string, number | boolean> {
  return Object.fromEntries(Object.entries(params ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

/** The store key of a variant the recipe trained: base weights, technique, layer and parameters (no studio budget). */
export function recipeVariantKey(base: Pick<BaseModel, 'weightsId' | 'dataset'>, technique: TechniqueId, layerIndex: number, params: TechniqueParams | undefined): string {
  return createHash('sha256').update(JSON.stringify([base.weightsId, base.dataset, technique, layerIndex, sortedParams(params), 'recipe'])).digest('hex').slice(0, 20);
}

export interface VariantCandidate {
  technique: TechniqueId;
  layerIndex: number;
}

/** A variant's id: its technique at its first layer, e.g. "W1@conv4". */
export function candidateId(base: Pick<BaseModel, 'spec'>, c: VariantCandidate): string {
  return `${c.technique}@${base.spec.layers[c.layerIndex].id}`;
}

/** Every (technique, layer) that fits, one per replaced range (F3 fits every FC of a head: one variant). */
export function variantCandidates(base: Pick<BaseModel, 'spec'>, o: Pick<CatalogOptions, 'techniques' | 'layers'>): VariantCandidate[] {
  const out: VariantCandidate[] = [];
  const seen = new Set<string>();
  base.spec.layers.forEach((_, i) => {
    if (o.layers !== undefined && !o.layers.includes(i)) return;
    for (const t of applicableTechniques(base.spec, i)) {
      if (o.techniques !== undefined && !o.techniques.includes(t)) continue;
      const key = t === 'F3' ? 'F3' : `${t}@${i}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ technique: t, layerIndex: i });
    }
  });
  return out;
}

export async function prepareVariants(db: Database, base: BaseModel, o: CatalogOptions): Promise<CatalogVariant[]> {
  const images = o.images ?? DISTILL_DEFAULTS.images;
  const epochs = o.epochs ?? DISTILL_DEFAULTS.epochs;
  const logitEpochs = o.logitEpochs ?? DISTILL_DEFAULTS.logitEpochs;
  const params = sortedParams(o.params);
  const list = variantCandidates(base, o);
  if (o.trainer === 'recipe') return recipeVariants(db, base, list, params, o);
  const out: CatalogVariant[] = [];
  let train: ImageDataset | undefined;
  for (const [n, c] of list.entries()) {
    const id = candidateId(base, c);
    // The logit stage joins the key only when it runs, so variants stored without it keep theirs.
    const key = createHash('sha256').update(JSON.stringify([base.weightsId, base.dataset, c.technique, c.layerIndex, params, images, epochs, DISTILL_DEFAULTS.learningRate, ...(logitEpochs > 0 ? [logitEpochs] : [])])).digest('hex').slice(0, 20);
    const stored = getVariant(db, key);
    if (stored !== undefined) {
      out.push({ key, info: stored.info as VariantInfo, weights: decodeWeightSet(stored.weights, `variant ${id}`).weights, record: stored.record as unknown as CatalogVariant['record'], cached: true });
      o.onProgress?.({ phase: 'variants', done: n + 1, total: list.length, variant: id, cached: true });
      continue;
    }
    train ??= await o.train();
    const result = applyTechnique(c.technique, base.spec, base.weights, c.layerIndex, params);
    const variant = variantFromCompression(base.spec, result, id);
    const distilled = distillVariant(base, variant, { data: train, images, epochs, logitEpochs });
    const record = { ...distilled.record, maccBefore: result.maccBefore, maccAfter: result.maccAfter, description: result.description };
    saveVariant(db, {
      key, model: base.model, dataset: base.dataset, weightsId: base.weightsId, technique: c.technique, layerIndex: c.layerIndex, params,
      info: variant.info, weights: encodeWeightSet(id, distilled.weights, 'float32'), record,
    });
    out.push({ key, info: variant.info, weights: distilled.weights, record, cached: false });
    o.onProgress?.({ phase: 'variants', done: n + 1, total: list.length, variant: id, cached: false });
    // Distillation is synchronous: a macrotask here lets a job's progress poll and cancel run between variants.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return out;
}

function recipeVariants(db: Database, base: BaseModel, list: readonly VariantCandidate[], params: TechniqueParams, o: CatalogOptions): CatalogVariant[] {
  const found = list.map((c) => ({ c, stored: getVariant(db, recipeVariantKey(base, c.technique, c.layerIndex, params)) }));
  const missing = found.filter((f) => f.stored === undefined).map((f) => candidateId(base, f.c));
  if (missing.length > 0) throw new VariantMissingError(base.model, base.dataset, missing);
  return found.map(({ c, stored }, n) => {
    const s = stored as NonNullable<typeof stored>;
    const id = candidateId(base, c);
    o.onProgress?.({ phase: 'variants', done: n + 1, total: list.length, variant: `${id} (recipe)`, cached: true });
    return { key: s.key, info: s.info as VariantInfo, weights: decodeWeightSet(s.weights, `variant ${id}`).weights, record: s.record as unknown as CatalogVariant['record'], cached: true };
  });
}
