import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { fromArray } from './matrix.ts';
import { omp } from './omp.ts';

test('OMP recovers a column made of two atoms exactly, and keeps to the sparsity', () => {
  const random = new SeededRandom(3);
  const m = 12;
  const k = 6;
  const d = fromArray(m, k, Array.from({ length: m * k }, () => random.normal()));
  // Unit-norm atoms.
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = 0; i < m; i++) norm += d.data[i * k + j] ** 2;
    for (let i = 0; i < m; i++) d.data[i * k + j] /= Math.sqrt(norm);
  }
  // Column 0 = 2·d1 - 3·d4; column 1 = 0.5·d0 + d2 + d5 (three atoms).
  const w = fromArray(m, 2, Array.from({ length: m }, (_, i) => [2 * d.data[i * k + 1] - 3 * d.data[i * k + 4], 0.5 * d.data[i * k] + d.data[i * k + 2] + d.data[i * k + 5]]).flat());
  const x = omp(d, w, 2);
  const column = (c: number): number[] => Array.from({ length: k }, (_, j) => x.data[j * 2 + c]);
  const col0 = column(0);
  assert.ok(Math.abs(col0[1] - 2) < 1e-10 && Math.abs(col0[4] + 3) < 1e-10, `codes ${col0}`);
  assert.equal(col0.filter((v) => v !== 0).length, 2);
  assert.ok(column(1).filter((v) => v !== 0).length <= 2);
  const x3 = omp(d, w, 3);
  const col1 = Array.from({ length: k }, (_, j) => x3.data[j * 2 + 1]);
  [0.5, 0, 1, 0, 0, 1].forEach((v, j) => assert.ok(Math.abs(col1[j] - v) < 1e-10, `atom ${j}: ${col1[j]}`));
});
