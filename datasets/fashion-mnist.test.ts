import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadDataset } from './load-dataset.ts';
import { FASHION_MNIST_DIR } from './data-locations.ts';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { splitIndices } from '../dnn/data/splits.ts';

const tmp = mkdtempSync(join(tmpdir(), 'edgetree-fmnist-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** An independent reader: gunzip, then the header's count at byte 4 and the data after the header. */
function raw(file: string, headerBytes: number): { count: number; data: Buffer } {
  const b = gunzipSync(readFileSync(join(FASHION_MNIST_DIR, file)));
  return { count: b.readUInt32BE(4), data: b.subarray(headerBytes) };
}
const testLabels = raw('t10k-labels-idx1-ubyte.gz', 8);
const testImages = raw('t10k-images-idx3-ubyte.gz', 16);

describe('Fashion-MNIST from the Debian package', () => {
  test('the first test images: labels as in the file, 32x32x1, the 28x28 image in a 2-pixel zero frame', async () => {
    const ds = await loadDataset('fashion-mnist', 'test', { limit: 5 });
    assert.equal(ds.count, 5);
    assert.deepEqual([ds.height, ds.width, ds.channels], [32, 32, 1]);
    assert.equal(ds.pixels.length, 5 * 32 * 32);
    assert.deepEqual(Array.from(ds.labels), Array.from(testLabels.data.subarray(0, 5)));
    assert.equal(ds.classes.length, 10);
    assert.equal(ds.classes[ds.labels[0]], 'Ankle boot'); // the first t10k image's label is 9
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
      const v = ds.pixels[y * 32 + x];
      if (y < 2 || y >= 30 || x < 2 || x >= 30) assert.equal(v, 0, `border pixel (${y}, ${x})`);
      else assert.equal(v, testImages.data[(y - 2) * 28 + (x - 2)], `pixel (${y}, ${x})`);
    }
    assert.deepEqual(ds.mean, [0.2860]);
    assert.deepEqual(ds.std, [0.3530]);
  });

  test('the whole test set is 10,000 images; train 55,000 and val 5,000 are the training file at the split indices', async () => {
    const t = await loadDataset('fashion-mnist', 'test');
    assert.equal(t.count, testLabels.count);
    assert.equal(t.count, 10000);
    const trainLabels = raw('train-labels-idx1-ubyte.gz', 8);
    assert.equal(trainLabels.count, 60000);
    const val = await loadDataset('fashion-mnist', 'val');
    const train = await loadDataset('fashion-mnist', 'train');
    assert.equal(val.count, 5000);
    assert.equal(train.count, 55000);
    for (const ds of [val, train]) {
      const idx = splitIndices(60000, ds.split as 'train' | 'val');
      for (let k = 0; k < ds.count; k++) assert.equal(ds.labels[k], trainLabels.data[idx[k]]);
    }
    // Each class is 6,000 of the 60,000 images; the seeded val share is about a tenth of each.
    const perClass = new Array<number>(10).fill(0);
    for (const l of val.labels) perClass[l]++;
    for (const n of perClass) assert.ok(n > 400 && n < 600, `val class counts ${perClass.join(', ')}`);
  });

  test('the limit takes the first images of the split', async () => {
    const val = await loadDataset('fashion-mnist', 'val', { limit: 3 });
    const trainImages = raw('train-images-idx3-ubyte.gz', 16);
    const second = splitIndices(60000, 'val')[1];
    assert.equal(val.count, 3);
    assert.equal(val.pixels[32 * 32 + 2 * 32 + 2 + 14 * 32 + 14], trainImages.data[second * 784 + 14 * 28 + 14], 'centre pixel of the second val image');
  });
});

describe('Fashion-MNIST errors', () => {
  const dir = (name: string): string => {
    const d = join(tmp, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const idxHeader = (dims: number[]): Buffer => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b[2] = 8;
    b[3] = dims.length;
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  const writeSet = (d: string, images: Buffer, labels: Buffer): void => {
    writeFileSync(join(d, 't10k-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
  };
  const isDatasetError = (re: RegExp) => (e: unknown): boolean => e instanceof DatasetError && e.name === 'DatasetError' && re.test(e.message);

  test('a missing folder says how to install the package', async () => {
    const missing = join(tmp, 'nowhere');
    await assert.rejects(loadDataset('fashion-mnist', 'test', { dataDir: missing }), isDatasetError(/nowhere: .*apt-get install dataset-fashion-mnist/));
  });

  test('a missing file names it', async () => {
    await assert.rejects(loadDataset('fashion-mnist', 'test', { dataDir: dir('empty') }), isDatasetError(/t10k-images-idx3-ubyte\.gz: Fashion-MNIST file not found/));
  });

  test('bad IDX magic names the file', async () => {
    const d = dir('magic');
    writeSet(d, Buffer.from('not an idx file at all'), Buffer.concat([idxHeader([1]), Buffer.from([3])]));
    await assert.rejects(loadDataset('fashion-mnist', 'test', { dataDir: d }), isDatasetError(/t10k-images-idx3-ubyte\.gz: bad IDX magic 6e 6f 74 20/));
  });

  test('a truncated image file and a truncated gzip', async () => {
    const d = dir('short');
    writeSet(d, Buffer.concat([idxHeader([2, 28, 28]), Buffer.alloc(784 + 100)]), Buffer.concat([idxHeader([2]), Buffer.from([1, 2])]));
    await assert.rejects(loadDataset('fashion-mnist', 'test', { dataDir: d }), isDatasetError(/images-idx3-ubyte\.gz: truncated IDX file: dimensions 2x28x28 need 1568 data bytes, the file holds 884/));
    const whole = gzipSync(Buffer.concat([idxHeader([2]), Buffer.from([1, 2])]));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte.gz'), whole.subarray(0, whole.length - 6));
    writeFileSync(join(d, 't10k-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([idxHeader([2, 28, 28]), Buffer.alloc(1568)])));
    await assert.rejects(loadDataset('fashion-mnist', 'test', { dataDir: d }), isDatasetError(/labels-idx1-ubyte\.gz: not a readable gzip file/));
  });

  test('label and image counts that differ', async () => {
    const d = dir('mismatch');
    writeSet(d, Buffer.concat([idxHeader([2, 28, 28]), Buffer.alloc(1568)]), Buffer.concat([idxHeader([3]), Buffer.from([1, 2, 3])]));
    await assert.rejects(loadDataset('fashion-mnist', 'test', { dataDir: d }), isDatasetError(/t10k-labels-idx1-ubyte\.gz: holds 3 labels but .*t10k-images-idx3-ubyte\.gz holds 2 images/));
  });
});
