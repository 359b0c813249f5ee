// @serial: times real work and asserts on it; runs alone (scripts/run-tests.mjs).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { builtinModel } from '../models/builtin.ts';
import { SpecExecutor } from './spec-executor.ts';
import { initWeights } from './init-weights.ts';

before(async () => {
  const info = await initTfjsBackend();
  console.log(`backend: ${info.description}`);
  assert.equal(info.name, 'wasm');
});

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

test('per-layer times of vgg11 add up to within a few % of a plain timed forward', () => {
  const spec = builtinModel('vgg11', 'cifar10');
  const executor = new SpecExecutor(spec, initWeights(spec, 2));
  const x = tf.randomNormal([1, 32, 32, 3]) as tf.Tensor4D;
  const now = (): number => performance.now();
  const repeats = 15;
  const times = executor.timeLayers(x, { warmup: 3, repeats: 2, now });
  assert.equal(times.layerMs.length, spec.layers.length);
  times.layerMs.forEach((perRepeat, i) => {
    assert.equal(perRepeat.length, 2, `layer ${spec.layers[i].id}`);
    assert.ok(perRepeat.every((ms) => ms >= 0));
  });
  times.totalMs.forEach((total, r) => assert.ok(Math.abs(times.layerMs.reduce((s, l) => s + l[r], 0) - total) < 1e-6, `repeat ${r}`));

  // Interleaved pairs, so a busy machine slows both kinds of run alike; the median
  // of the pairs' ratios. On a loaded machine (other test files share the cores) a
  // round can still be off, so up to 5 rounds are taken and one must agree within 8%.
  const layerMs: number[][] = spec.layers.map(() => []);
  const ratios: number[] = [];
  for (let round = 0; round < 5; round++) {
    const pairs: number[] = [];
    const sums: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const one = executor.timeLayers(x, { warmup: 0, repeats: 1, now });
      one.layerMs.forEach((ms, i) => layerMs[i].push(ms[0]));
      const t0 = now();
      const y = executor.predict(x);
      y.dataSync();
      const whole = now() - t0;
      y.dispose();
      pairs.push(one.totalMs[0] / whole);
      sums.push(one.totalMs[0]);
    }
    ratios.push(median(pairs));
    console.log(`round ${round + 1}: sum of layers ${median(sums).toFixed(2)} ms, ${(100 * (median(pairs) - 1)).toFixed(1)}% from the plain forward (median of ${repeats} pairs)`);
    if (Math.abs(median(pairs) - 1) < 0.08) break;
  }
  assert.ok(ratios.some((q) => Math.abs(q - 1) < 0.08), `sum of layers / whole forward per round: ${ratios.map((q) => q.toFixed(3)).join(', ')}`);
  const layered = layerMs.reduce((acc, l) => acc + median(l), 0);

  // The convs carry the MACCs: together they take most of the time (sums of per-layer medians).
  const convMs = spec.layers.reduce((s, l, i) => s + (l.type === 'conv' ? median(layerMs[i]) : 0), 0);
  console.log(`convs: ${convMs.toFixed(2)} of ${layered.toFixed(2)} ms`);
  assert.ok(convMs > 0.5 * layered, `convs ${convMs} ms of ${layered} ms`);
  x.dispose();
  executor.dispose();
});
