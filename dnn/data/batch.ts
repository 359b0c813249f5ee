/** Batches ready for tf.tensor4d / tf.tensor1d from an in-memory data set. */
import type { ImageDataset } from './image-dataset.ts';

/** Normalised float batch NHWC, ((p / 255 - mean) / std) per channel, for the given sample indices. */
export function batchPixels(ds: ImageDataset, indices: ArrayLike<number>): Float32Array {
  const c = ds.channels;
  const imageBytes = ds.height * ds.width * c;
  // One lookup table per channel: 256 values instead of a divide per pixel.
  const lut = new Float32Array(256 * c);
  for (let ch = 0; ch < c; ch++) for (let v = 0; v < 256; v++) lut[ch * 256 + v] = (v / 255 - ds.mean[ch]) / ds.std[ch];
  const out = new Float32Array(indices.length * imageBytes);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) throw new RangeError(`batchPixels: index ${i} is outside data set "${ds.name}" ${ds.split} (0..${ds.count - 1})`);
    const src = i * imageBytes;
    const dst = k * imageBytes;
    for (let p = 0; p < imageBytes; p++) out[dst + p] = lut[(p % c) * 256 + ds.pixels[src + p]];
  }
  return out;
}

/** The class indices of the given samples, as tf.oneHot wants them. */
export function batchLabels(ds: ImageDataset, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) throw new RangeError(`batchLabels: index ${i} is outside data set "${ds.name}" ${ds.split} (0..${ds.count - 1})`);
    out[k] = ds.labels[i];
  }
  return out;
}
