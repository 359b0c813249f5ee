/**
 * What the Models screen shows of a trained model's accuracy without running
 * anything: its training record, the blocks distilled for it so far with their
 * figures, and the accuracies the memory pool already holds on the validation split.
 */
import type { Database } from 'better-sqlite3';
import type { ModelAccuracy, ModelAccuracyRequest, StoredBlockRow, TrainedModelInfo } from '../api/accuracy-api.ts';
import { SWEEP_DEFAULTS } from '../api/accuracy-api.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import { poolKey } from '../accuracy/accuracy-pool.ts';
import { BaseModelMissingError, loadBaseModel } from '../accuracy/trained-models.ts';
import type { BaseModel, TrainingRecord } from '../accuracy/trained-models.ts';
import { getPooledAccuracy } from '../profiles/accuracy-pool-repository.ts';
import { listVariants } from '../profiles/variant-repository.ts';

export function modelAccuracy(db: Database, req: ModelAccuracyRequest, latestSweep: ModelAccuracy['latestSweep']): ModelAccuracy {
  const valImages = req.valImages ?? SWEEP_DEFAULTS.valImages;
  let base: BaseModel;
  try {
    base = loadBaseModel(req.model, req.dataset);
  } catch (e) {
    if (!(e instanceof BaseModelMissingError)) throw e;
    return { model: req.model, dataset: req.dataset, trained: null, missing: e.message, valImages, baseValAccuracy: null, blocks: [], latestSweep };
  }
  const pooled = (keys: string[]): number | null => getPooledAccuracy(db, poolKey(base, keys.map((key) => ({ key })), 'val', valImages))?.accuracy ?? null;
  const blocks = listVariants(db, base.model, base.dataset, base.weightsId).map((v): StoredBlockRow => {
    const r = v.record as Record<string, number | string | boolean>;
    return {
      id: (v.info as { id: string }).id, technique: v.technique as TechniqueId, layerIndex: v.layerIndex, layerId: base.spec.layers[v.layerIndex]?.id ?? String(v.layerIndex),
      params: v.params as Record<string, number | boolean>, description: String(r.description ?? ''),
      maccBefore: Number(r.maccBefore), maccAfter: Number(r.maccAfter), distillImages: Number(r.images), distillEpochs: Number(r.epochs),
      lossBefore: Number(r.lossBefore), lossAfter: Number(r.lossAfter), accuracy: pooled([v.key]),
    };
  });
  return { model: req.model, dataset: req.dataset, trained: trainedInfo(base), missing: null, valImages, baseValAccuracy: pooled([]), blocks, latestSweep };
}

function trainedInfo(base: BaseModel): TrainedModelInfo {
  const r: TrainingRecord = base.record;
  const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return {
    width: r.width, source: r.source, epochs: num(r.epochs), batch: num(r.batch), learningRate: num(r.lr), seed: num(r.seed),
    testAccuracy: num(r.testAccuracy), testImages: num(r.testImages), trainerTestAccuracy: num(r.trainerTestAccuracy), valAccuracy: num(r.valAccuracy),
    weightsId: base.weightsId,
  };
}
