import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import type { DatasetSummary } from '../datasets/describe-dataset.ts';
import { SHARED_DIR } from '../test/shared-data.ts';

const cli = createCliHome();
after(() => cli.dispose());
const CIFAR = join(SHARED_DIR, 'data', 'cifar10');

const counts = (s: DatasetSummary): Record<string, number> => Object.fromEntries(s.splits.map((p) => [p.split, p.count]));

describe('edgetree datasets show', () => {
  test('fashion-mnist: 55,000 / 5,000 / 10,000 images of 32x32x1, ten classes, its fixed mean and std', () => {
    const r = cli.run('datasets', 'show', 'fashion-mnist', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const s = r.json<DatasetSummary>();
    assert.deepEqual(counts(s), { train: 55000, val: 5000, test: 10000 });
    assert.deepEqual([s.height, s.width, s.channels], [32, 32, 1]);
    assert.equal(s.classes.length, 10);
    assert.deepEqual(s.mean, [0.286]);
    assert.equal(s.format, 'idx');
  });

  test('cifar10 --data: a small JPEG copy (4 training and 2 test images per class)', () => {
    const dir = join(cli.home, 'mini');
    for (const [split, n] of [['train', 4], ['test', 2]] as const) {
      for (const c of readdirSync(join(CIFAR, split))) {
        mkdirSync(join(dir, split, c), { recursive: true });
        for (const f of readdirSync(join(CIFAR, split, c)).sort().slice(0, n)) copyFileSync(join(CIFAR, split, c, f), join(dir, split, c, f));
      }
    }
    const r = cli.run('datasets', 'show', 'cifar10', '--data', dir, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const s = r.json<DatasetSummary>();
    assert.deepEqual(counts(s), { train: 36, val: 4, test: 20 });
    assert.deepEqual([s.height, s.width, s.channels], [32, 32, 3]);
    assert.equal(s.classes[0], 'airplane');
    // Without --json: a table of the splits.
    const text = cli.run('datasets', 'show', 'cifar10', '--data', dir).stdout;
    assert.match(text, /train\s+36\n/);
    assert.match(text, /test\s+20\n/);
  });

  test('a user\'s class folder without train/ and test/: all of it is the training set', () => {
    const dir = join(cli.home, 'pets');
    for (const c of ['dog', 'cat']) {
      mkdirSync(join(dir, c), { recursive: true });
      for (const f of readdirSync(join(CIFAR, 'test', c)).sort().slice(0, 10)) copyFileSync(join(CIFAR, 'test', c, f), join(dir, c, f));
    }
    const s = cli.run('datasets', 'show', dir, '--json').json<DatasetSummary>();
    assert.equal(s.name, 'pets');
    assert.deepEqual(s.classes, ['cat', 'dog']);
    assert.deepEqual(counts(s), { train: 18, val: 2 });
    assert.equal(s.mean, null);
  });

  test('errors: an empty class folder (exit 1, DatasetError), --data with a folder (usage, exit 2)', () => {
    const dir = join(cli.home, 'broken');
    mkdirSync(join(dir, 'a'), { recursive: true });
    writeFileSync(join(dir, 'a', 'readme.txt'), '');
    const r = cli.run('datasets', 'show', dir, '--json');
    assert.equal(r.code, 1);
    const e = r.json<{ error: { name: string; message: string } }>().error;
    assert.equal(e.name, 'DatasetError');
    assert.match(e.message, /broken\/a: class folder holds no images/);
    assert.equal(cli.run('datasets', 'show', dir, '--data', dir).code, 2);
  });
});
