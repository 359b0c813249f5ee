import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'jpeg-js';
import { PNG } from 'pngjs';
import { loadImageFolder } from './image-folder.ts';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { resizeBilinear } from '../dnn/data/resize-image.ts';
import { SHARED_DIR } from '../test/shared-data.ts';

const CIFAR_TRAIN = join(SHARED_DIR, 'data', 'cifar10', 'train');
const tmp = mkdtempSync(join(tmpdir(), 'edgetree-imgfolder-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const cacheDir = join(tmp, 'cache');

/** A folder of `perClass` CIFAR-10 JPEGs per class (the first files of each class). */
function buildFolder(name: string, perClass: number): { dir: string; classes: string[] } {
  const dir = join(tmp, name);
  const classes = readdirSync(CIFAR_TRAIN).sort();
  for (const c of classes) {
    mkdirSync(join(dir, c), { recursive: true });
    for (const f of readdirSync(join(CIFAR_TRAIN, c)).sort().slice(0, perClass)) copyFileSync(join(CIFAR_TRAIN, c, f), join(dir, c, f));
  }
  return { dir, classes };
}

const isDatasetError = (re: RegExp) => (e: unknown): boolean => e instanceof DatasetError && re.test(e.message);

describe('image-folder loader', () => {
  const { dir, classes } = buildFolder('twenty', 2);

  test('20 CIFAR JPEGs: classes sorted, classes in turn, pixels as jpeg-js decodes each file', async () => {
    const progress: number[][] = [];
    const r = await loadImageFolder(dir, { cacheDir, onProgress: (d, t) => progress.push([d, t]) });
    assert.deepEqual(r.classes, classes);
    assert.equal(r.classes[0], 'airplane');
    assert.equal(r.count, 20);
    assert.deepEqual([r.height, r.width, r.channels], [32, 32, 3]);
    // First image of each class, then the second of each.
    assert.deepEqual(Array.from(r.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let n = 0; n < 20; n++) {
      const cls = classes[n % 10];
      const file = readdirSync(join(dir, cls)).sort()[Math.floor(n / 10)];
      const want = decode(readFileSync(join(dir, cls, file)), { useTArray: true, formatAsRGBA: false }).data;
      assert.deepEqual(r.pixels.subarray(n * 3072, (n + 1) * 3072), want, `image ${n} (${cls}/${file})`);
    }
    assert.equal(r.fromCache, false);
    assert.deepEqual(progress.at(-1), [20, 20]);
  });

  test('the second load comes from the cache, with the same bytes and no decoding', async () => {
    const first = await loadImageFolder(dir, { cacheDir });
    const progress: number[] = [];
    const second = await loadImageFolder(dir, { cacheDir, onProgress: (d) => progress.push(d) });
    assert.equal(second.fromCache, true);
    assert.equal(second.cacheFile, first.cacheFile);
    assert.deepEqual(progress, []);
    assert.deepEqual(second.pixels, first.pixels);
    assert.deepEqual(second.labels, first.labels);
  });

  test('a changed folder is decoded again: a file touched, a file added', async () => {
    const before = await loadImageFolder(dir, { cacheDir });
    assert.equal(before.fromCache, true);
    const touched = join(dir, 'cat', readdirSync(join(dir, 'cat')).sort()[0]);
    utimesSync(touched, new Date(), new Date(Date.now() + 5000));
    const afterTouch = await loadImageFolder(dir, { cacheDir });
    assert.equal(afterTouch.fromCache, false);
    assert.notEqual(afterTouch.cacheFile, before.cacheFile);
    copyFileSync(touched, join(dir, 'cat', 'zzzz.jpg'));
    const afterAdd = await loadImageFolder(dir, { cacheDir });
    assert.equal(afterAdd.fromCache, false);
    assert.equal(afterAdd.count, 21);
    assert.equal(afterAdd.labels[20], 3, 'the extra cat comes last: the only class with a third image');
    rmSync(join(dir, 'cat', 'zzzz.jpg'));
  });

  test('limit takes the first images in the folder order', async () => {
    const r = await loadImageFolder(dir, { cacheDir, limit: 3 });
    assert.equal(r.count, 3);
    assert.deepEqual(Array.from(r.labels), [0, 1, 2]);
  });

  test('a size asked resizes bilinearly; the asked size equal to the image leaves the bytes as decoded', async () => {
    const r = await loadImageFolder(dir, { cacheDir, limit: 2, height: 16, width: 24 });
    assert.deepEqual([r.height, r.width], [16, 24]);
    const plain = await loadImageFolder(dir, { cacheDir, limit: 2 });
    assert.deepEqual(r.pixels.subarray(16 * 24 * 3), resizeBilinear(plain.pixels.subarray(3072), 32, 32, 3, 16, 24));
    const same = await loadImageFolder(dir, { cacheDir, limit: 2, height: 32, width: 32 });
    assert.deepEqual(same.pixels, plain.pixels);
  });

  test('PNG files decode too (RGB, alpha dropped), beside JPEGs', async () => {
    const d = join(tmp, 'png');
    mkdirSync(join(d, 'a'), { recursive: true });
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([10, 20, 30, 255, 40, 50, 60, 0]);
    writeFileSync(join(d, 'a', 'x.png'), PNG.sync.write(png));
    const r = await loadImageFolder(d, { cacheDir });
    assert.deepEqual(Array.from(r.pixels), [10, 20, 30, 40, 50, 60]);
  });
});

describe('image-folder errors', () => {
  test('an undecodable JPEG names the file', async () => {
    const { dir } = buildFolder('broken', 1);
    const bad = join(dir, 'dog', '0000.jpg');
    writeFileSync(bad, readFileSync(bad).subarray(0, 300));
    await assert.rejects(loadImageFolder(dir, { cacheDir }), isDatasetError(/dog\/0000\.jpg: cannot decode this JPEG image/));
    writeFileSync(bad, 'hello');
    await assert.rejects(loadImageFolder(dir, { cacheDir }), isDatasetError(/dog\/0000\.jpg: is neither a JPEG nor a PNG/));
  });

  test('an empty class folder, a folder with no classes, a missing folder', async () => {
    const { dir } = buildFolder('empty-class', 1);
    mkdirSync(join(dir, 'zebra'));
    writeFileSync(join(dir, 'zebra', 'notes.txt'), 'no images here');
    await assert.rejects(loadImageFolder(dir, { cacheDir }), isDatasetError(/zebra: class folder holds no images/));
    const flat = join(tmp, 'flat');
    mkdirSync(flat);
    await assert.rejects(loadImageFolder(flat, { cacheDir }), isDatasetError(/flat: holds no class sub-folders/));
    await assert.rejects(loadImageFolder(join(tmp, 'absent'), { cacheDir }), isDatasetError(/absent: image folder not found/));
  });

  test('images of another size without a size asked', async () => {
    const { dir } = buildFolder('sizes', 1);
    const png = new PNG({ width: 4, height: 4 });
    writeFileSync(join(dir, 'truck', '0001.png'), PNG.sync.write(png));
    await assert.rejects(loadImageFolder(dir, { cacheDir }), isDatasetError(/truck\/0001\.png: is 4x4 but the folder's first image .* is 32x32/));
    const r = await loadImageFolder(dir, { cacheDir, height: 32, width: 32 });
    assert.equal(r.count, 11);
  });
});
