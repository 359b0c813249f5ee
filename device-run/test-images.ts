/** The images `edgetree run` feeds: the first N of the bundle's data set's test split, normalised, with their labels. */
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { batchLabels, batchPixels } from '../dnn/data/batch.ts';
import { isDatasetName } from '../dnn/models/datasets.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { encodeImages } from '../runtime/core/image-batch.ts';

export class RunImagesError extends Error {
  constructor(dataset: string, problem: string) {
    super(`images for data set "${dataset}": ${problem}`);
    this.name = 'RunImagesError';
  }
}

export interface RunImages {
  bytes: Uint8Array;
  labels: Int32Array;
  count: number;
}

export async function testImages(manifest: BundleManifest, count: number, dataDir?: string): Promise<RunImages> {
  if (!isDatasetName(manifest.dataset)) throw new RunImagesError(manifest.dataset, 'not a data set the studio knows (fashion-mnist, cifar10)');
  const ds = await loadDataset(manifest.dataset, 'test', { limit: count, ...(dataDir !== undefined && { dataDir }) });
  const shape = [ds.height, ds.width, ds.channels];
  if (shape.join(',') !== manifest.inputShape.join(',')) throw new RunImagesError(manifest.dataset, `images are [${shape.join(', ')}], the bundle's model takes [${manifest.inputShape.join(', ')}]`);
  const idx = Array.from({ length: ds.count }, (_, i) => i);
  return { bytes: encodeImages(batchPixels(ds, idx)), labels: batchLabels(ds, idx), count: ds.count };
}
