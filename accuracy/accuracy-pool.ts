/**
 * Accuracy of compositions with a memory pool (paper Sec. VI): the accuracy of
 * base + variants on the first `images` of a split, stored in the accuracy_pool
 * table under a hash of base weights, variant keys, split and image count. The
 * second evaluation of the same composition reads the table and says so.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { getPooledAccuracy, savePooledAccuracy } from '../profiles/accuracy-pool-repository.ts';
import { composedModel } from './composed-model.ts';
import { evaluateAccuracy } from './evaluate.ts';
import type { BaseModel } from './trained-models.ts';
import type { CatalogVariant } from './variant-catalog.ts';

export interface PoolResult {
  accuracy: number;
  images: number;
  correct: number;
  cached: boolean;
  evalMs: number;
}

/** Only the variants' store keys count, so a stored block's key alone finds its pooled accuracy. */
export function poolKey(base: Pick<BaseModel, 'weightsId' | 'dataset'>, variants: readonly Pick<CatalogVariant, 'key'>[], split: string, images: number): string {
  const keys = variants.map((v) => v.key).sort();
  return createHash('sha256').update(JSON.stringify([base.weightsId, base.dataset, keys, split, images])).digest('hex').slice(0, 24);
}

export function pooledAccuracy(db: Database, base: BaseModel, variants: readonly CatalogVariant[], data: ImageDataset, images = data.count): PoolResult {
  const n = Math.min(images, data.count);
  const key = poolKey(base, variants, data.split, n);
  const hit = getPooledAccuracy(db, key);
  if (hit !== undefined) return { accuracy: hit.accuracy, images: hit.images, correct: hit.correct, cached: true, evalMs: 0 };
  const model = composedModel(base, variants);
  const r = evaluateAccuracy(model.spec, model.weights, data, { limit: n });
  savePooledAccuracy(db, {
    key, model: base.model, dataset: base.dataset, weightsId: base.weightsId,
    composition: { variants: variants.map((v) => v.info.id).sort() }, split: data.split, images: r.images, correct: r.correct, accuracy: r.accuracy, evalMs: r.ms,
  });
  return { accuracy: r.accuracy, images: r.images, correct: r.correct, cached: false, evalMs: r.ms };
}
