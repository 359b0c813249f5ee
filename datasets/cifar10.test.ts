import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from './load-dataset.ts';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { splitIndices } from '../dnn/data/splits.ts';
import { SHARED_DIR } from '../test/shared-data.ts';

const CIFAR = join(SHARED_DIR, 'data', 'cifar10');
const tmp = mkdtempSync(join(tmpdir(), 'edgetree-cifar-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const cacheDir = join(tmp, 'cache');
const isDatasetError = (re: RegExp) => (e: unknown): boolean => e instanceof DatasetError && re.test(e.message);

/** Image g (global index over the batches): label g % 10, channel c of (y, x) = (g * 5 + c * 70 + y * 2 + x) % 256. */
const value = (g: number, y: number, x: number, c: number): number => (g * 5 + c * 70 + y * 2 + x) % 256;
function writeBatch(file: string, first: number, count: number): void {
  const out = Buffer.alloc(count * 3073);
  for (let n = 0; n < count; n++) {
    const g = first + n;
    const r = n * 3073;
    out[r] = g % 10;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[r + 1 + c * 1024 + y * 32 + x] = value(g, y, x, c);
  }
  writeFileSync(file, out);
}

describe('CIFAR-10 binary release', () => {
  // Five training batches of 6 images (30 in all) and a test batch of 4, as the tarball unpacks.
  const dir = join(tmp, 'bin');
  const batches = join(dir, 'cifar-10-batches-bin');
  mkdirSync(batches, { recursive: true });
  for (let i = 1; i <= 5; i++) writeBatch(join(batches, `data_batch_${i}.bin`), (i - 1) * 6, 6);
  writeBatch(join(batches, 'test_batch.bin'), 1000, 4);

  const checkImage = (pixels: Uint8Array, n: number, g: number): void => {
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) {
      assert.equal(pixels[((n * 32 + y) * 32 + x) * 3 + c], value(g, y, x, c), `image ${n} (file image ${g}) at (${y}, ${x}) channel ${c}`);
    }
  };

  test('the test batch: planar records come out NHWC, pixel by pixel', async () => {
    const ds = await loadDataset('cifar10', 'test', { dataDir: dir });
    assert.equal(ds.count, 4);
    assert.deepEqual([ds.height, ds.width, ds.channels], [32, 32, 3]);
    assert.deepEqual(Array.from(ds.labels), [0, 1, 2, 3]);
    for (let n = 0; n < 4; n++) checkImage(ds.pixels, n, 1000 + n);
    assert.deepEqual(ds.mean, [0.4914, 0.4822, 0.4465]);
    assert.deepEqual(ds.std, [0.2470, 0.2435, 0.2616]);
    assert.equal(ds.classes[9], 'truck');
  });

  test('train and val: the five batches in order, split 27 / 3 at the seeded indices', async () => {
    const train = await loadDataset('cifar10', 'train', { dataDir: dir });
    const val = await loadDataset('cifar10', 'val', { dataDir: dir });
    assert.equal(train.count, 27);
    assert.equal(val.count, 3);
    const vi = splitIndices(30, 'val');
    for (let n = 0; n < 3; n++) checkImage(val.pixels, n, vi[n]);
    const ti = splitIndices(30, 'train');
    for (let n = 0; n < 27; n++) assert.equal(train.labels[n], ti[n] % 10);
    checkImage(train.pixels, 26, ti[26]);
  });

  test('a batch whose length is not a multiple of 3073 bytes is named', async () => {
    const d = join(tmp, 'bad-bin');
    mkdirSync(d);
    writeBatch(join(d, 'test_batch.bin'), 0, 2);
    writeFileSync(join(d, 'test_batch.bin'), Buffer.alloc(3073 * 2 - 10));
    await assert.rejects(loadDataset('cifar10', 'test', { dataDir: d }), isDatasetError(/test_batch\.bin: CIFAR-10 binary file of 6136 bytes is not a whole number of 3073-byte records/));
    await assert.rejects(loadDataset('cifar10', 'train', { dataDir: d }), isDatasetError(/data_batch_1\.bin: CIFAR-10 binary batch file not found/));
  });
});

describe('CIFAR-10 JPEG class folders', () => {
  test('the shared copy: the first 10 test images are one of each class, in class order', async () => {
    const ds = await loadDataset('cifar10', 'test', { dataDir: CIFAR, cacheDir, limit: 10 });
    assert.equal(ds.count, 10);
    assert.deepEqual(Array.from(ds.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(ds.classes, ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    assert.equal(ds.pixels.length, 10 * 3072);
  });

  // A small copy: 3 training and 1 test image per class.
  const mini = join(tmp, 'mini');
  for (const [split, n] of [['train', 3], ['test', 1]] as const) {
    for (const c of readdirSync(join(CIFAR, split))) {
      mkdirSync(join(mini, split, c), { recursive: true });
      for (const f of readdirSync(join(CIFAR, split, c)).sort().slice(0, n)) copyFileSync(join(CIFAR, split, c, f), join(mini, split, c, f));
    }
  }

  test('train 27 / val 3 from the training folder, test 10; decoded once, then from the cache', async () => {
    const progress: number[] = [];
    const val = await loadDataset('cifar10', 'val', { dataDir: mini, cacheDir, onProgress: (d) => progress.push(d) });
    assert.equal(val.count, 3);
    assert.equal(val.fromCache, false);
    assert.equal(progress.at(-1), 30, 'the whole training folder was decoded');
    const train = await loadDataset('cifar10', 'train', { dataDir: mini, cacheDir });
    assert.equal(train.count, 27);
    assert.equal(train.fromCache, true);
    const vi = splitIndices(30, 'val');
    // Folder order takes classes in turn, so original index i has label i % 10.
    assert.deepEqual(Array.from(val.labels), Array.from(vi, (i) => i % 10));
    const test10 = await loadDataset('cifar10', 'test', { dataDir: mini, cacheDir });
    assert.equal(test10.count, 10);
  });

  test('a folder whose classes are not CIFAR-10\'s, and a missing folder', async () => {
    const odd = join(tmp, 'odd');
    mkdirSync(join(odd, 'train', 'cat'), { recursive: true });
    mkdirSync(join(odd, 'test'), { recursive: true });
    copyFileSync(join(mini, 'train', 'cat', readdirSync(join(mini, 'train', 'cat'))[0]), join(odd, 'train', 'cat', 'a.jpg'));
    await assert.rejects(loadDataset('cifar10', 'train', { dataDir: odd, cacheDir }), isDatasetError(/odd\/train: holds classes cat; expected airplane, automobile/));
    await assert.rejects(loadDataset('cifar10', 'train', { dataDir: join(tmp, 'none'), cacheDir }), isDatasetError(/none: CIFAR-10 folder not found: pass --data DIR/));
  });
});
