import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { VAL_SIZE, selectImages, splitIndices, valCount } from './splits.ts';

function checkPartition(n: number): { train: Uint32Array; val: Uint32Array } {
  const train = splitIndices(n, 'train');
  const val = splitIndices(n, 'val');
  const seen = new Uint8Array(n);
  for (const list of [train, val]) {
    for (let k = 0; k < list.length; k++) {
      if (k > 0) assert.ok(list[k] > list[k - 1], 'ascending original indices');
      assert.equal(seen[list[k]], 0, `index ${list[k]} in both splits`);
      seen[list[k]] = 1;
    }
  }
  assert.equal(seen.reduce((a, b) => a + b, 0), n, 'train and val cover the whole training set');
  return { train, val };
}

describe('fixed splits', () => {
  test('Fashion-MNIST: 55,000 train and 5,000 val, disjoint, together all 60,000', () => {
    const { train, val } = checkPartition(60000);
    assert.equal(train.length, 55000);
    assert.equal(val.length, VAL_SIZE);
  });

  test('CIFAR-10: 45,000 train and 5,000 val', () => {
    const { train, val } = checkPartition(50000);
    assert.equal(train.length, 45000);
    assert.equal(val.length, 5000);
  });

  test('the same images every time (seeded), and spread over the set rather than one end', () => {
    assert.deepEqual(splitIndices(60000, 'val'), splitIndices(60000, 'val'));
    const val = splitIndices(60000, 'val');
    const firstHalf = val.filter((i) => i < 30000).length;
    // A uniform choice of 5,000: about 2,500 in each half (std about 35).
    assert.ok(Math.abs(firstHalf - 2500) < 250, `${firstHalf} of 5000 in the first half`);
  });

  test('a small training set gives a tenth to validation', () => {
    assert.equal(valCount(30), 3);
    assert.equal(valCount(9), 0);
    assert.equal(valCount(49999), 4999);
    const { val } = checkPartition(30);
    assert.equal(val.length, 3);
  });

  test('selectImages copies the chosen images and labels in the given order', () => {
    const pixels = Uint8Array.from([10, 11, 20, 21, 30, 31]);
    const r = selectImages(pixels, Uint8Array.from([1, 2, 3]), 2, [2, 0]);
    assert.deepEqual(Array.from(r.pixels), [30, 31, 10, 11]);
    assert.deepEqual(Array.from(r.labels), [3, 1]);
  });
});
