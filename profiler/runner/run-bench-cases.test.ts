// @serial: times real work and asserts on it; runs alone (scripts/run-tests.mjs).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { makeBenchPlan } from '../plan/make-bench-plan.ts';
import type { BenchCase, BenchPlan } from '../bench-plan.ts';
import type { Measurement } from '../measurement.ts';
import { runBenchCases, runModelTiming } from './run-bench-cases.ts';
import { RunnerAbortedError } from './runner-errors.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';

function conv(h: number, c: number, k: number): BenchCase {
  const spec = { name: `c${h}-${c}`, inputShape: [h, h, c] as const, layers: [{ id: 'conv', type: 'conv' as const, kernel: k, padding: 'same' as const, outChannels: c }] };
  return { id: `conv-k${k}-i${h}x${h}x${c}-o${c}-s1`, kind: 'conv', kernel: k, macc: analyzeModel(spec).macc, spec };
}

describe('runner core on TF.js WASM', () => {
  let backend = '';
  before(async () => {
    const info = await initTfjsBackend({ prefer: 'wasm' });
    backend = info.description;
  });

  test('measures a small plan, one measurement per case as it finishes, and names the backend', async () => {
    const full = makeBenchPlan({ suite: 'quick' });
    // The smallest case of each kind keeps the test fast.
    const pick = ['conv', 'depthwise', 'fc', 'maxpool', 'bn', 'activation', 'add', 'gap', 'flatten'].map((k) =>
      full.cases.filter((c) => c.kind === k).reduce((a, b) => (b.spec.inputShape.reduce((x, y) => x * y) < a.spec.inputShape.reduce((x, y) => x * y) ? b : a)));
    const plan: BenchPlan = { ...full, warmup: 1, warmupMs: 0, repeats: 3, timedMs: 0, cases: pick };
    const seen: Measurement[] = [];
    const got = await runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), onMeasurement: (m) => seen.push(m) });
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(backend, /^wasm \(SIMD/);
    assert.deepEqual(seen, got);
    assert.deepEqual(got.map((m) => m.caseId), pick.map((c) => c.id));
    for (const m of got) {
      assert.equal(m.backend, backend);
      assert.equal(m.runner, 'tfjs-node');
      assert.equal(m.repeats, 3);
      assert.ok(m.minMs > 0 && m.minMs <= m.p25Ms && m.p25Ms <= m.medianMs && m.medianMs <= m.p75Ms && m.p75Ms <= m.maxMs, JSON.stringify(m));
      assert.ok(m.maxMs < 1000, `${m.caseId} took ${m.maxMs} ms`);
    }
    assert.deepEqual(got.map((m) => m.macc), pick.map((c) => c.macc));
  });

  test('warm-up and timing by time: a tiny case is warmed for warmupMs and timed in batches of repeats up to timedMs', async () => {
    const tiny = conv(4, 4, 1); // 4*4*4*4 = 256 MACCs: microseconds a run
    const plan: BenchPlan = { formatVersion: 1, suite: 'quick', warmup: 1, warmupMs: 60, repeats: 5, timedMs: 2, cases: [tiny] };
    const t0 = performance.now();
    const [m] = await runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), onMeasurement: () => undefined });
    assert.ok(performance.now() - t0 >= 60, 'the warm-up lasts at least warmupMs');
    // More than one batch of 5 (a run takes far less than 2 ms / 5), never more than 20 batches, always whole batches.
    assert.ok(m.repeats > 5 && m.repeats <= 100 && m.repeats % 5 === 0, `${m.repeats} repeats`);
    // firstWarmupMs replaces only the first case's warm-up.
    const t1 = performance.now();
    await runBenchCases({ ...plan, warmupMs: 0 }, plan.cases, { tf, backend, now: () => performance.now(), firstWarmupMs: 80, onMeasurement: () => undefined });
    assert.ok(performance.now() - t1 >= 80);
  });

  test('in batches (as under a CPU quota), a case is timed for at least MIN_BATCHES batches, one mean per batch', async () => {
    const tiny = conv(4, 4, 1);
    const plan: BenchPlan = { formatVersion: 1, suite: 'quick', warmup: 1, repeats: 5, batchMs: 10, cases: [tiny] };
    const free = await runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), onMeasurement: () => undefined });
    assert.equal(free[0].repeats, 5, 'without a quota, each run on its own');
    const t0 = performance.now();
    const [m] = await runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), onMeasurement: () => undefined, batchMs: plan.batchMs });
    const elapsed = performance.now() - t0;
    // 5 batches of at least 10 ms of runs; the last, short one joins the one before it.
    assert.ok(elapsed >= 50, `timed for ${elapsed} ms`);
    assert.ok(m.repeats >= 5 && m.repeats <= elapsed / 10, `${m.repeats} batches in ${elapsed} ms`);
    assert.ok(m.medianMs > 0 && m.medianMs < 1, `${m.medianMs} ms a run`);
    // Where the runner reads its CPU time, the median run is scaled by each stretch's wall over CPU time.
    const opts = { tf, backend, now: () => performance.now(), onMeasurement: () => undefined, batchMs: plan.batchMs };
    const [full] = await runBenchCases(plan, plan.cases, { ...opts, cpuNow: () => performance.now() });
    const [halved] = await runBenchCases(plan, plan.cases, { ...opts, cpuNow: () => performance.now() / 2 });
    assert.ok(full.repeats >= 5 && halved.repeats >= 5, `${full.repeats} and ${halved.repeats} batches`);
    assert.ok(halved.medianMs / full.medianMs > 1.4 && halved.medianMs / full.medianMs < 2.8, `${halved.medianMs} ms against ${full.medianMs} ms`);
  });

  test('a case with flushBytes is timed one run at a time, the caches written over before each; in batches only where the host reads CPU time', async () => {
    const c = { ...conv(8, 8, 3), flushBytes: 4 << 20 };
    const plan: BenchPlan = { formatVersion: 1, suite: 'quick', warmup: 1, repeats: 4, batchMs: 10, cases: [c] };
    const [free] = await runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), onMeasurement: () => undefined, batchMs: 10 });
    assert.equal(free.repeats, 4, 'without a CPU clock, the median of its runs');
    assert.ok(free.medianMs > 0);
    // With a CPU clock: batches of flush + run, each the median run scaled by wall over CPU time. A
    // clock that reads half the wall time, as a process on half a CPU would, reads about twice
    // what one that keeps up with the wall reads.
    const opts = { tf, backend, now: () => performance.now(), onMeasurement: () => undefined, batchMs: 10 };
    const [full] = await runBenchCases(plan, plan.cases, { ...opts, cpuNow: () => performance.now() });
    const [halved] = await runBenchCases(plan, plan.cases, { ...opts, cpuNow: () => performance.now() / 2 });
    assert.ok(full.repeats >= 5 && halved.repeats >= 5, `${full.repeats} and ${halved.repeats} batches`);
    const ratio = halved.medianMs / full.medianMs;
    assert.ok(ratio > 1.4 && ratio < 2.8, `${halved.medianMs} ms against ${full.medianMs} ms`);
  });

  test('a conv with 8x the MACCs (same kernel) takes longer', async () => {
    // 16x16x32 -> 32, k3: 16*16*9*32*32 = 2,359,296 MACCs. 32x32x32 -> 64: 4x the pixels, 2x the outputs = 8x.
    const small = conv(16, 32, 3);
    const bigSpec = { name: 'big', inputShape: [32, 32, 32] as const, layers: [{ id: 'conv', type: 'conv' as const, kernel: 3, padding: 'same' as const, outChannels: 64 }] };
    const big: BenchCase = { id: 'conv-k3-i32x32x32-o64-s1', kind: 'conv', kernel: 3, macc: analyzeModel(bigSpec).macc, spec: bigSpec };
    assert.equal(small.macc, 2_359_296);
    assert.equal(big.macc, 8 * 2_359_296);
    const plan: BenchPlan = { formatVersion: 1, suite: 'quick', warmup: 3, repeats: 9, cases: [small, big] };
    const [s, b] = await runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), onMeasurement: () => undefined });
    assert.ok(b.medianMs > s.medianMs * 2, `8x MACCs: ${b.medianMs} ms vs ${s.medianMs} ms`);
  });

  test('an aborted signal stops before the next case', async () => {
    const ac = new AbortController();
    const plan: BenchPlan = { formatVersion: 1, suite: 'quick', warmup: 0, repeats: 1, cases: [conv(8, 8, 3), conv(8, 16, 3)] };
    const seen: string[] = [];
    await assert.rejects(
      runBenchCases(plan, plan.cases, { tf, backend, now: () => performance.now(), signal: ac.signal, onMeasurement: (m) => { seen.push(m.caseId); ac.abort(); } }),
      (e: unknown) => e instanceof RunnerAbortedError && /before case "conv-k3-i8x8x16-o16-s1" \(1 of 2 measured\)/.test(e.message),
    );
    assert.deepEqual(seen, ['conv-k3-i8x8x8-o8-s1']);
  });

  test('a whole model: total and per-layer medians, layer medians summing near the total', async () => {
    const spec = {
      name: 'tiny', inputShape: [16, 16, 3] as const,
      layers: [
        { id: 'c1', type: 'conv' as const, kernel: 3, padding: 'same' as const, outChannels: 16, activation: 'relu' as const },
        { id: 'p', type: 'maxpool' as const, kernel: 2 },
        { id: 'f', type: 'flatten' as const },
        { id: 'd', type: 'fc' as const, outChannels: 10 },
      ],
    };
    const t = await runModelTiming(spec, { tf, backend, now: () => performance.now(), warmup: 1, repeats: 5 });
    assert.equal(t.model, 'tiny');
    assert.deepEqual(t.layers.map((l) => l.layerId), ['c1', 'p', 'f', 'd']);
    // 16*16*9*3*16 + 8*8*16*10 = 110,592 + 10,240.
    assert.equal(t.macc, 120_832);
    assert.equal(t.total.repeats, 5);
    const sum = t.layers.reduce((s, l) => s + l.medianMs, 0);
    assert.ok(sum > 0.5 * t.total.medianMs && sum < 2 * t.total.medianMs, `layers ${sum} vs total ${t.total.medianMs}`);
  });
});
