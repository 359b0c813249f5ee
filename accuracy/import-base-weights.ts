/**
 * Brings weights trained elsewhere (recipes/pytorch) in as the studio's base
 * model: the ONNX importer reads them, every layer is checked against the
 * built-in spec, they are stored as float16, and the studio measures the stored
 * weights' accuracy on the whole test split itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DatasetName } from '../dnn/models/datasets.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { evaluateAccuracy } from './evaluate.ts';
import { loadBaseModel, saveBaseModel, trainedModelsDir, weightsFromOnnx } from './trained-models.ts';
import type { TrainedModelName, TrainingRecord } from './trained-models.ts';

export interface ImportBaseWeightsOptions {
  onnxFile: string;
  model: TrainedModelName;
  dataset: DatasetName;
  width: number;
  /** The trainer's JSON record (recipes/pytorch writes one next to the ONNX file). */
  recordFile?: string;
  dataDir?: string;
  dir?: string;
  /** Measure on the first N test images only (tests); default the whole test split. */
  testImages?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function importBaseWeights(o: ImportBaseWeightsOptions): Promise<TrainingRecord & { file: string }> {
  const { weights } = weightsFromOnnx(o.onnxFile, o.model, o.dataset, o.width);
  const trainer = o.recordFile !== undefined && existsSync(o.recordFile) ? (JSON.parse(readFileSync(o.recordFile, 'utf8')) as Record<string, unknown>) : {};
  const record: TrainingRecord = {
    ...trainer,
    model: o.model,
    dataset: o.dataset,
    width: o.width,
    source: 'pytorch-recipe',
    trainerTestAccuracy: typeof trainer.testAccuracy === 'number' ? trainer.testAccuracy : undefined,
  };
  delete record.testAccuracy;
  const dir = o.dir ?? trainedModelsDir();
  saveBaseModel(o.model, o.dataset, weights, record, dir);
  // Measure what was stored (float16), not what came in.
  const stored = loadBaseModel(o.model, o.dataset, dir);
  const test = await loadDataset(o.dataset, 'test', { dataDir: o.dataDir, limit: o.testImages });
  const result = evaluateAccuracy(stored.spec, stored.weights, test, { onProgress: o.onProgress });
  const final: TrainingRecord = { ...record, testAccuracy: result.accuracy, testImages: result.images };
  const file = saveBaseModel(o.model, o.dataset, stored.weights, final, dir);
  return { ...final, file };
}
