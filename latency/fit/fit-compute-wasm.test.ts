// @serial: times real work and asserts on it; runs alone (scripts/run-tests.mjs).
// Real timings: conv2d layers on the TensorFlow.js WASM backend of this machine, fitted
// into a line per kernel. A measured line of MACCs against time should explain most of
// the variance (R² > 0.9) even on a busy machine, as the paper's Eq. 4 model assumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fitComputeLines } from './fit-compute.ts';
import type { Measurement } from '../../profiler/measurement.ts';

interface ConvCase { h: number; c: number; k: number; x: tf.Tensor4D; w: tf.Tensor4D; ms: number[] }

// Cases are timed round-robin, so a burst of load from other processes spreads over all of them.
function timeConvs(shapes: { h: number; c: number; k: number }[], repeats: number): Measurement[] {
  const cases: ConvCase[] = shapes.map(({ h, c, k }) => ({
    h, c, k, x: tf.randomNormal([1, h, h, c]) as tf.Tensor4D, w: tf.randomNormal([k, k, c, c]) as tf.Tensor4D, ms: [],
  }));
  const run = (cc: ConvCase) => tf.tidy(() => tf.conv2d(cc.x, cc.w, 1, 'same').dataSync());
  for (const cc of cases) for (let i = 0; i < 3; i++) run(cc);
  for (let r = 0; r < repeats; r++) {
    for (const cc of cases) {
      const t0 = performance.now();
      run(cc);
      cc.ms.push(performance.now() - t0);
    }
  }
  const backend = `${tf.getBackend()}${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ' (simd)' : ''}`;
  return cases.map(({ h, c, k, x, w, ms }) => {
    x.dispose();
    w.dispose();
    ms.sort((a, b) => a - b);
    const q = (p: number) => ms[Math.round(p * (ms.length - 1))];
    return {
      caseId: `conv-k${k}-i${h}x${h}x${c}-o${c}-s1`, kind: 'conv', kernel: k, macc: h * h * k * k * c * c,
      medianMs: q(0.5), p25Ms: q(0.25), p75Ms: q(0.75), minMs: ms[0], maxMs: ms[ms.length - 1], repeats,
      runner: 'tfjs-node', backend, measuredAt: new Date().toISOString(),
    };
  });
}

test('conv2d timed on the WASM backend fits a line per kernel with R² > 0.9', async (t) => {
  assert.equal(await tf.setBackend('wasm'), true, 'the WASM backend did not start');
  await tf.ready();
  assert.equal(tf.getBackend(), 'wasm');
  const shapes = [1, 3].flatMap((k) => [32, 64, 96, 128, 160].map((c) => ({ h: 16, c, k })));
  const measurements = timeConvs(shapes, 15);
  const fit = fitComputeLines(measurements, { robust: true });
  assert.deepEqual(fit.lines.map((l) => l.kernel), [1, 3]);
  for (const g of fit.groups) {
    const detail = g.residuals.map((r) => `${r.macc}:${r.measuredMs.toFixed(2)}`).join(' ');
    assert.ok(g.r2 > 0.9, `conv k=${g.kernel}: R² ${g.r2.toFixed(3)} (${detail})`);
    assert.ok(fit.lines.find((l) => l.kernel === g.kernel)!.slopeMsPerMacc > 0);
  }
  assert.ok(measurements.every((m) => m.backend.startsWith('wasm')));
  t.diagnostic(`backend ${measurements[0].backend}; ${fit.groups.map((g) => `conv k=${g.kernel}: R² ${g.r2.toFixed(3)}, MAPE ${g.mapePct.toFixed(1)}%, ${(1e-6 / fit.lines.find((l) => l.kernel === g.kernel)!.slopeMsPerMacc).toFixed(2)} GMACC/s`).join('; ')}`);
});
