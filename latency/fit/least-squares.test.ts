import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { leastSquares, median, robustOutliers } from './least-squares.ts';
import { FitError } from './errors.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} is not ${b}`);

describe('leastSquares', () => {
  test('four hand-made points: slope, intercept, R², residuals, RMSE, MAPE by hand', () => {
    // x̄ = 1.5, ȳ = 3, Sxx = 5, Sxy = 5: slope 1, intercept 1.5; fitted 1.5 2.5 3.5 4.5.
    const fit = leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 4 }, { x: 3, y: 4 }], 'hand');
    close(fit.slope, 1);
    close(fit.intercept, 1.5);
    assert.deepEqual(fit.residuals.map((r) => Math.round(r * 1e12) / 1e12), [-0.5, 0.5, 0.5, -0.5]);
    close(fit.r2, 1 - 1 / 6); // SS_res 1, SS_tot 6
    close(fit.rmse, 0.5);
    close(fit.mapePct, ((0.5 / 1 + 0.5 / 3 + 0.5 / 4 + 0.5 / 4) / 4) * 100);
    assert.equal(fit.points, 4);
  });

  test('points on a line fit it exactly with R² 1', () => {
    const fit = leastSquares([2, 5, 9].map((x) => ({ x, y: 7 - 0.25 * x })), 'line');
    close(fit.slope, -0.25);
    close(fit.intercept, 7);
    close(fit.r2, 1);
    close(fit.rmse, 0);
  });

  test('fewer than 2 distinct x and NaN are FitErrors naming the group', () => {
    assert.throws(() => leastSquares([{ x: 3, y: 1 }, { x: 3, y: 2 }], 'conv k=5'), (e: unknown) => e instanceof FitError && /conv k=5/.test(e.message) && /2 distinct x/.test(e.message));
    assert.throws(() => leastSquares([], 'fc'), FitError);
    assert.throws(() => leastSquares([{ x: 1, y: NaN }, { x: 2, y: 1 }], 'depthwise k=3'), /depthwise k=3: point 0 is not finite/);
  });

  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});

describe('robustOutliers', () => {
  test('judges by 3 · 1.4826 · MAD around the median: a 4-MAD residual is kept, a 5-MAD one is not', () => {
    // Residuals -1, 0, 0, 1 plus one probe: median 0, MAD 1 (with the probe on the far side), so the bound is 4.4478.
    assert.deepEqual(robustOutliers([-1, 0, 0, 1, 4]), [false, false, false, false, false]);
    assert.deepEqual(robustOutliers([-1, 0, 0, 1, 5]), [false, false, false, false, true]);
  });

  test('a MAD of 0 flags nothing, however far one residual lies', () => {
    assert.deepEqual(robustOutliers([0, 0, 0, 100]), [false, false, false, false]);
  });
});
