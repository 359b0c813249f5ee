import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { householderQr } from './householder-qr.ts';
import { fromArray, frobenius, multiply, transpose } from './matrix.ts';

test('Householder QR of a random 25 x 6 matrix: QR = A, QᵀQ = I, R upper triangular', () => {
  const random = new SeededRandom(4);
  const a = fromArray(25, 6, Array.from({ length: 150 }, () => random.normal()));
  const { q, r } = householderQr(a);
  assert.ok(frobenius(a, multiply(q, r)) < 1e-12 * frobenius(a));
  const gram = multiply(transpose(q), q);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) assert.ok(Math.abs(gram.data[i * 6 + j] - (i === j ? 1 : 0)) < 1e-12);
  for (let i = 0; i < 6; i++) for (let j = 0; j < i; j++) assert.equal(r.data[i * 6 + j], 0);
});

test('QR of [[3], [4]] is |R| = 5', () => {
  const { r } = householderQr(fromArray(2, 1, [3, 4]));
  assert.ok(Math.abs(Math.abs(r.data[0]) - 5) < 1e-15);
});
