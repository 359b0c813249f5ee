/** Which images of an official set (training or test) a split takes, `limit` applied. */
import type { DatasetSplit } from '../dnn/data/image-dataset.ts';
import { splitIndices } from '../dnn/data/splits.ts';

/** The official set a split is drawn from. */
export function officialSet(split: DatasetSplit): 'train' | 'test' {
  return split === 'test' ? 'test' : 'train';
}

/** Original indices (ascending) of `split` within its official set of `officialCount` images, the first `limit` of them. */
export function officialIndices(split: DatasetSplit, officialCount: number, limit?: number): Uint32Array {
  let idx: Uint32Array;
  if (split === 'test') {
    idx = new Uint32Array(officialCount);
    for (let i = 0; i < officialCount; i++) idx[i] = i;
  } else {
    idx = splitIndices(officialCount, split);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new RangeError(`limit must be a whole number >= 0, got ${limit}`);
  return limit === undefined || limit >= idx.length ? idx : idx.subarray(0, limit);
}
