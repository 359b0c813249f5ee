import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { nonNegativeLeastSquares } from './nnls.ts';
import { FitError } from './errors.ts';

describe('nonNegativeLeastSquares', () => {
  test('recovers exact non-negative coefficients across columns of very different scale', () => {
    const truth = [2e-9, 0.05, 3e-7];
    const a = [[1.5e8, 30, 2e6], [3e7, 12, 5e5], [5.5e8, 60, 4e6], [9e6, 9, 8e4], [2.2e8, 41, 1e5]];
    const b = a.map((row) => row.reduce((s, v, j) => s + v * truth[j], 0));
    const { x, residualSquares } = nonNegativeLeastSquares(a, b, 'test');
    x.forEach((v, j) => assert.ok(Math.abs(v - truth[j]) <= 1e-9 * truth[j], `x${j} = ${v}, expected ${truth[j]}`));
    assert.ok(residualSquares < 1e-20);
  });

  test('an unknown the unconstrained fit makes negative is held at 0 and the rest refitted', () => {
    // y = 1 + 0·t would be fitted as 2 − 0.5·t on these points; the bound keeps t at 0 and refits the constant.
    const a = [[1, 0], [1, 2], [1, 4]];
    const b = [2, 1, 0];
    const { x } = nonNegativeLeastSquares(a, b, 'test');
    assert.deepEqual(x.map((v) => Number(v.toFixed(12))), [1, 0]);
  });

  test('a column of zeros gets 0; dependent columns still give the optimum', () => {
    const a = [[1, 0, 2], [2, 0, 4], [3, 0, 6]];
    const b = [1, 2, 3];
    const { x, residualSquares } = nonNegativeLeastSquares(a, b, 'test');
    assert.equal(x[1], 0);
    assert.ok(Math.abs(x[0] + 2 * x[2] - 1) < 1e-12);
    assert.ok(residualSquares < 1e-24);
  });

  test('non-finite input is a FitError naming the fit', () => {
    assert.throws(() => nonNegativeLeastSquares([[1, NaN]], [1], 'my fit'), (e: Error) => e instanceof FitError && /cannot fit my fit: row 0/.test(e.message));
  });
});
