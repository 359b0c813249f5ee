import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { fromArray, frobenius, multiply, transpose } from './matrix.ts';
import type { Matrix } from './matrix.ts';
import { rankForEnergy, reconstruct, svd } from './svd.ts';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const random = new SeededRandom(seed);
  return fromArray(rows, cols, Array.from({ length: rows * cols }, () => random.normal()));
}

function assertOrthonormalColumns(m: Matrix): void {
  const gram = multiply(transpose(m), m);
  for (let i = 0; i < m.cols; i++) {
    for (let j = 0; j < m.cols; j++) assert.ok(Math.abs(gram.data[i * m.cols + j] - (i === j ? 1 : 0)) < 1e-12, `gram[${i}][${j}] = ${gram.data[i * m.cols + j]}`);
  }
}

describe('svd (one-sided Jacobi)', () => {
  test('a diagonal matrix: singular values are the absolute diagonal, sorted', () => {
    const d = svd(fromArray(3, 3, [2, 0, 0, 0, -5, 0, 0, 0, 3]));
    assert.deepEqual(Array.from(d.s), [5, 3, 2]);
  });

  test('[[3, 0], [4, 5]] has singular values sqrt(45) and sqrt(5) (σ1σ2 = |det| = 15, σ1² + σ2² = 50)', () => {
    const d = svd(fromArray(2, 2, [3, 0, 4, 5]));
    assert.ok(Math.abs(d.s[0] - Math.sqrt(45)) < 1e-12);
    assert.ok(Math.abs(d.s[1] - Math.sqrt(5)) < 1e-12);
  });

  for (const [rows, cols] of [[12, 7], [7, 12], [20, 20], [40, 9], [9, 40]]) {
    test(`a random ${rows} x ${cols} matrix is reconstructed exactly at full rank, with orthonormal U and V`, () => {
      const a = randomMatrix(rows, cols, rows * 100 + cols);
      const d = svd(a);
      assert.equal(d.s.length, Math.min(rows, cols));
      assert.ok(frobenius(a, reconstruct(d)) < 1e-12 * frobenius(a));
      assertOrthonormalColumns(d.u);
      assertOrthonormalColumns(d.v);
      for (let i = 1; i < d.s.length; i++) assert.ok(d.s[i - 1] >= d.s[i]);
    });
  }

  test('at rank k the Frobenius error is the square root of the dropped σ² (Eckart-Young)', () => {
    const a = randomMatrix(15, 9, 7);
    const d = svd(a);
    for (const k of [1, 4, 8]) {
      let dropped = 0;
      for (let i = k; i < d.s.length; i++) dropped += d.s[i] * d.s[i];
      assert.ok(Math.abs(frobenius(a, reconstruct(d, k)) - Math.sqrt(dropped)) < 1e-10, `k = ${k}`);
    }
  });

  test('the squared singular values add up to the squared Frobenius norm', () => {
    const a = randomMatrix(6, 10, 3);
    const d = svd(a);
    const sum = d.s.reduce((acc, v) => acc + v * v, 0);
    assert.ok(Math.abs(sum - frobenius(a) ** 2) < 1e-10);
  });

  test('a rank-deficient matrix has zero singular values past its rank and is still reconstructed', () => {
    // Rows 2 and 3 are multiples of row 1: rank 1, σ1 = |row1| * sqrt(1 + 4 + 9).
    const a = fromArray(3, 2, [1, 2, 2, 4, 3, 6]);
    const d = svd(a);
    assert.ok(Math.abs(d.s[0] - Math.sqrt(5) * Math.sqrt(14)) < 1e-12);
    assert.ok(d.s[1] < 1e-12);
    assert.ok(frobenius(a, reconstruct(d)) < 1e-12);
  });

  test('a tall rank-1 matrix (reduced by QR first) has one non-zero singular value', () => {
    // Column 2 is twice column 1 = (1..10): σ1 = |(1..10)| * sqrt(1 + 4) = sqrt(385 * 5).
    const a = fromArray(10, 2, Array.from({ length: 10 }, (_, i) => [i + 1, 2 * (i + 1)]).flat());
    const d = svd(a);
    assert.ok(Math.abs(d.s[0] - Math.sqrt(385 * 5)) < 1e-10);
    assert.ok(d.s[1] < 1e-10);
    assert.ok(frobenius(a, reconstruct(d)) < 1e-10);
  });

  test('rankForEnergy: σ = 3, 2, 1 keeps 9/14 with k = 1, 13/14 with k = 2', () => {
    const s = Float64Array.from([3, 2, 1]);
    assert.equal(rankForEnergy(s, 0.5), 1);
    assert.equal(rankForEnergy(s, 9 / 14), 1);
    assert.equal(rankForEnergy(s, 0.9), 2);
    assert.equal(rankForEnergy(s, 13 / 14), 2);
    assert.equal(rankForEnergy(s, 0.95), 3);
    assert.equal(rankForEnergy(s, 1), 3);
  });
});
