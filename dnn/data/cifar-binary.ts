/**
 * The CIFAR-10 binary format (cs.toronto.edu/~kriz/cifar.html): records of 1 label byte
 * then 3072 pixel bytes, the 1024 red values of the 32x32 image row by row, then the
 * 1024 green, then the 1024 blue. Files: data_batch_1..5.bin (training), test_batch.bin.
 */
import { DatasetError } from './dataset-error.ts';

export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_RECORD_BYTES = 1 + 3 * PLANE;

export interface CifarBatch {
  count: number;
  /** count * 32 * 32 * 3 bytes, NHWC. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** One batch file's bytes to NHWC pixels; `limit` keeps the first records only. */
export function parseCifarBinary(bytes: Uint8Array, fileName: string, limit?: number): CifarBatch {
  if (bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new DatasetError(fileName, `CIFAR-10 binary file of ${bytes.length} bytes is not a whole number of ${CIFAR_RECORD_BYTES}-byte records (1 label + 3072 pixels); truncated or not CIFAR-10`);
  }
  const records = bytes.length / CIFAR_RECORD_BYTES;
  const count = limit === undefined ? records : Math.min(records, limit);
  const pixels = new Uint8Array(count * PLANE * 3);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const rec = n * CIFAR_RECORD_BYTES;
    const label = bytes[rec];
    if (label > 9) throw new DatasetError(fileName, `record ${n} has label ${label}; CIFAR-10 labels are 0..9`);
    labels[n] = label;
    const out = n * PLANE * 3;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + 3 * p] = bytes[rec + 1 + p];
      pixels[out + 3 * p + 1] = bytes[rec + 1 + PLANE + p];
      pixels[out + 3 * p + 2] = bytes[rec + 1 + 2 * PLANE + p];
    }
  }
  return { count, pixels, labels };
}
