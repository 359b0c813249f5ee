/**
 * CIFAR-10 in its binary release: data_batch_1..5.bin (training) and test_batch.bin, in
 * a folder or its `cifar-10-batches-bin/` sub-folder, as the tarball unpacks.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { CIFAR_RECORD_BYTES, parseCifarBinary } from '../dnn/data/cifar-binary.ts';
import type { CifarBatch } from '../dnn/data/cifar-binary.ts';

export const CIFAR10_CLASSES: readonly string[] = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_FILE = 'test_batch.bin';

/** The folder holding the batch files, or null when `dir` is not a CIFAR-10 binary release. */
export function findCifarBinaryDir(dir: string): string | null {
  for (const d of [dir, join(dir, 'cifar-10-batches-bin')]) {
    if (existsSync(join(d, TRAIN_FILES[0])) || existsSync(join(d, TEST_FILE))) return d;
  }
  return null;
}

function batchFiles(dir: string, official: 'train' | 'test'): string[] {
  const files = (official === 'train' ? TRAIN_FILES : [TEST_FILE]).map((f) => join(dir, f));
  for (const f of files) if (!existsSync(f)) throw new DatasetError(f, `CIFAR-10 binary batch file not found (a release holds ${[...TRAIN_FILES, TEST_FILE].join(', ')})`);
  return files;
}

/** Images in the official set, from the file sizes alone; a size that is not whole records is an error. */
export function cifarBinaryCount(dir: string, official: 'train' | 'test'): number {
  let count = 0;
  for (const f of batchFiles(dir, official)) {
    const size = statSync(f).size;
    if (size % CIFAR_RECORD_BYTES !== 0) parseCifarBinary(new Uint8Array(size), f); // throws the length error
    count += size / CIFAR_RECORD_BYTES;
  }
  return count;
}

/** The official `train` (all five batches, in order) or `test` set, NHWC; `limit` keeps the first images. */
export function readCifarBinary(dir: string, official: 'train' | 'test', limit?: number): CifarBatch {
  const parts: CifarBatch[] = [];
  let left = limit ?? Number.POSITIVE_INFINITY;
  for (const f of batchFiles(dir, official)) {
    if (left <= 0) break;
    const part = parseCifarBinary(readFileSync(f), f, Number.isFinite(left) ? left : undefined);
    parts.push(part);
    left -= part.count;
  }
  const count = parts.reduce((s, p) => s + p.count, 0);
  const pixels = new Uint8Array(count * 32 * 32 * 3);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const p of parts) {
    pixels.set(p.pixels, n * 32 * 32 * 3);
    labels.set(p.labels, n);
    n += p.count;
  }
  return { count, pixels, labels };
}

/** Class names from the release's batches.meta.txt (one per line), else CIFAR-10's own. */
export function cifarBinaryClasses(dir: string): readonly string[] {
  const meta = join(dir, 'batches.meta.txt');
  if (!existsSync(meta)) return CIFAR10_CLASSES;
  const names = readFileSync(meta, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return names.length === 10 ? names : CIFAR10_CLASSES;
}
