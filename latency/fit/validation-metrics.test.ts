import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validationMetrics } from './validation-metrics.ts';
import { FitError } from './errors.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} is not ${b}`);

test('validation figures by hand: signed errors, shares within ±10% and ±5%, RMSE, MAPE', () => {
  const m = validationMetrics([
    { name: 'a', measuredMs: 100, estimatedMs: 104 }, // +4%
    { name: 'b', measuredMs: 50, estimatedMs: 45 }, // −10%
    { name: 'c', measuredMs: 20, estimatedMs: 24 }, // +20%
    { name: 'd', measuredMs: 10, estimatedMs: 9.3 }, // −7%
  ]);
  assert.deepEqual(m.items.map((i) => Math.round(i.errorPct * 1e9) / 1e9), [4, -10, 20, -7]);
  assert.equal(m.within10Pct, 3 / 4);
  assert.equal(m.within5Pct, 1 / 4);
  close(m.rmseMs, Math.sqrt((16 + 25 + 16 + 0.49) / 4));
  close(m.mapePct, (4 + 10 + 20 + 7) / 4);
});

test('no models, or a measured time of 0, is a FitError naming the model', () => {
  assert.throws(() => validationMetrics([]), FitError);
  assert.throws(() => validationMetrics([{ name: 'vgg11-half', measuredMs: 0, estimatedMs: 3 }]), /vgg11-half/);
});
