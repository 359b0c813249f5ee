/**
 * One technique on one layer of a shipped base model, as `edgetree compress` shows it:
 * the variant distilled once (or read back from the store), then the accuracy on the
 * first validation images before (base) and after (base + this variant), both through
 * the memory pool.
 */
import type { Database } from 'better-sqlite3';
import { CompressionError } from '../dnn/compress/compression-error.ts';
import { techniqueById } from '../dnn/compress/registry.ts';
import { techniqueLabel } from '../dnn/compress/target-layer.ts';
import type { LayerRef, TechniqueId, TechniqueParams } from '../dnn/compress/technique.ts';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import type { LayerSpec } from '../dnn/spec/layer-spec.ts';
import { pooledAccuracy } from './accuracy-pool.ts';
import type { BaseModel } from './trained-models.ts';
import { prepareVariants } from './variant-catalog.ts';
import type { CatalogVariant } from './variant-catalog.ts';

export interface CompressLayerOptions {
  technique: TechniqueId;
  /** Position in the base model's layer list, or a layer id. */
  layer: LayerRef;
  params?: TechniqueParams;
  /** Validation images (the caller loads the first N of the val split). */
  val: ImageDataset;
  train: () => Promise<ImageDataset>;
  distillImages?: number;
  distillEpochs?: number;
  onProgress?: (message: string) => void;
}

export interface CompressLayerResult {
  /** The variant's own layers (what replaced the base layers). */
  spec: readonly LayerSpec[];
  /** Whole-model MACCs before and after. */
  maccBefore: number;
  maccAfter: number;
  accuracyBefore: number;
  accuracyAfter: number;
  images: number;
  variant: {
    id: string;
    key: string;
    technique: TechniqueId;
    layerIndex: number;
    layerId: string;
    params: TechniqueParams;
    description: string;
    distillation: { images: number; epochs: number; lossBefore: number; lossAfter: number; keptInitial: boolean; ms: number };
  };
  /** True when the variant came from the store and both accuracies from the pool. */
  cached: boolean;
}

/** The layer's index; a technique that does not fit it is a CompressionError naming both. */
export function checkTechniqueFits(base: BaseModel, technique: TechniqueId, layer: LayerRef): number {
  const t = techniqueById(technique, base.spec.name);
  t.check(base.spec, layer);
  const index = typeof layer === 'number' ? layer : base.spec.layers.findIndex((l) => l.id === layer);
  const l = base.spec.layers[index];
  if (!t.appliesTo.includes(l.type)) {
    throw new CompressionError(techniqueLabel(technique), base.spec.name, { index, id: l.id, type: l.type }, `applies to ${t.appliesTo.join(' or ')} layers only`);
  }
  return index;
}

export async function compressLayer(db: Database, base: BaseModel, o: CompressLayerOptions): Promise<CompressLayerResult> {
  const layerIndex = checkTechniqueFits(base, o.technique, o.layer);
  const params = o.params ?? {};
  o.onProgress?.(`${o.technique} on ${base.spec.layers[layerIndex].id}: distilling (or reading the stored variant)`);
  const [variant] = await prepareVariants(db, base, {
    techniques: [o.technique], layers: [layerIndex], params, images: o.distillImages, epochs: o.distillEpochs, train: o.train,
  });
  if (variant === undefined) throw new CompressionError(techniqueLabel(o.technique), base.spec.name, { index: layerIndex }, 'the catalogue made no variant for this layer');
  o.onProgress?.(`accuracy on ${o.val.count} validation images: base, then with ${variant.info.id}`);
  const before = pooledAccuracy(db, base, [], o.val);
  const after = pooledAccuracy(db, base, [variant], o.val);
  return {
    spec: variant.info.layers,
    maccBefore: variant.record.maccBefore,
    maccAfter: variant.record.maccAfter,
    accuracyBefore: before.accuracy,
    accuracyAfter: after.accuracy,
    images: after.images,
    variant: describeVariant(base, variant, layerIndex, params),
    cached: variant.cached && before.cached && after.cached,
  };
}

function describeVariant(base: BaseModel, v: CatalogVariant, layerIndex: number, params: TechniqueParams): CompressLayerResult['variant'] {
  const r = v.record;
  return {
    id: v.info.id, key: v.key, technique: v.info.technique, layerIndex, layerId: base.spec.layers[layerIndex].id, params,
    description: r.description,
    distillation: { images: r.images, epochs: r.epochs, lossBefore: r.lossBefore, lossAfter: r.lossAfter, keptInitial: r.keptInitial, ms: r.ms },
  };
}
