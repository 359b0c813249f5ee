// @serial: the shaped link's rates are timed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { SpecExecutor } from '../../dnn/tfjs/spec-executor.ts';
import { startCloudServer } from '../../cloud/cloud-server.ts';
import type { CloudServer } from '../../cloud/cloud-server.ts';
import type { ModelTree } from '../../search/model-tree.ts';
import { TINY_CHAIN } from '../../search/testing/tiny-problem.ts';
import { BandwidthEstimator, InjectedBandwidth } from './bandwidth-estimator.ts';
import { httpProbe } from './bandwidth-probe.ts';
import { TreeRuntime } from './tree-runtime.ts';
import { RuntimeCloudError } from './runtime-errors.ts';
import { TINY_BASE_WEIGHTS, TINY_KEY, TINY_LEVELS, tinyComposedReference, tinyRuntimeModel, tinyTree } from '../testing/tiny-runtime.ts';
import { startThrottledRelay } from '../testing/throttled-relay.ts';
import type { ThrottledRelay } from '../testing/throttled-relay.ts';

const TOKEN = 'runtime-link-token';
let server: CloudServer;
let relay: ThrottledRelay;
let tree: ModelTree;
let image: tf.Tensor4D;
let tensorsBefore = 0;

before(async () => {
  const info = await initTfjsBackend();
  assert.equal(info.name, 'wasm', info.description);
  tensorsBefore = tf.memory().numTensors;
  server = await startCloudServer({ models: new Map([[TINY_KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
  relay = await startThrottledRelay(server.port, Infinity);
  tree = await tinyTree({ variants: true });
  image = tf.randomNormal([1, ...TINY_CHAIN.inputShape], 0, 1, 'float32', 3) as tf.Tensor4D;
});

after(async () => {
  image.dispose();
  await relay.close();
  await server.close();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'leaked tensors');
});

function reference(variantIds: readonly string[]): Float32Array {
  const { spec, weights } = tinyComposedReference(variantIds);
  const ex = new SpecExecutor(spec, weights);
  const y = ex.predict(image);
  const v = y.dataSync() as Float32Array;
  y.dispose();
  ex.dispose();
  return v;
}
const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const viaRelay = { url: '', token: TOKEN, modelKey: TINY_KEY };

describe('runtime over a shaped loopback link (a relay that paces the upload)', () => {
  test('the probe sees the slow link, the device stays local; on a fast link it offloads, then reuses the fresh estimate', async () => {
    // Types 0.05 and 2 Mbit/s meet at 0.316 Mbit/s; the relay runs at 0.1, then unshaped.
    relay.setRateMbps(0.1);
    const estimator = new BandwidthEstimator({ probe: httpProbe(relay.url, TOKEN, { bytes: 2048 }), staleMs: 400, alpha: 1 });
    const rt = new TreeRuntime(tinyRuntimeModel(tree, { ...viaRelay, url: relay.url }), { bandwidth: estimator, backend: 'wasm' });
    try {
      const slow = (await rt.infer(image)).timeline;
      assert.equal(slow.blocks[0].bandwidthSource, 'probe');
      const seen = slow.blocks[0].bandwidthMbps;
      // 2 KiB plus HTTP headers at 0.1 Mbit/s: about 0.1. The round trip, the headers and a busy
      // runner only lower it (0.033 seen under a loaded test run); bytes taken for bits would read 0.0125.
      assert.ok(seen > 0.02 && seen < 0.2, `probe saw ${seen} Mbit/s on a 0.1 Mbit/s link`);
      assert.ok(slow.blocks[0].probeMs > 100, `probe took ${slow.blocks[0].probeMs} ms`);
      assert.deepEqual([slow.branch, slow.cut], [[0, 2, 6], null]);
      assert.deepEqual(slow.blocks.slice(1).map((b) => b.bandwidthSource), ['passive', 'passive']);

      relay.setRateMbps(Infinity);
      await sleep(450);
      const fast = await rt.infer(image);
      assert.equal(fast.timeline.blocks[0].bandwidthSource, 'probe');
      assert.ok(fast.timeline.blocks[0].bandwidthMbps > 1, `probe saw ${fast.timeline.blocks[0].bandwidthMbps} Mbit/s unshaped`);
      assert.deepEqual([fast.timeline.branch, fast.timeline.cut], [[1], 0]);
      assert.ok(maxDiff(fast.logits, reference([])) <= 1e-4);
      // The estimate is fresh now: no probe (the 600-byte offload is too small to time a rate and leaves it as it was).
      const next = (await rt.infer(image)).timeline;
      assert.equal(next.blocks[0].bandwidthSource, 'passive');
      assert.equal(next.blocks[0].bandwidthMbps, fast.timeline.blocks[0].bandwidthMbps);
      assert.deepEqual(next.branch, [1]);
    } finally {
      rt.dispose();
    }
  });

  test('the cloud link dies mid-upload: the inference finishes on the device along the base model and says so', async () => {
    relay.setRateMbps(0.05);
    // Poor then good: W1 on the device, then the cut at 4 sends 256 bytes + header (about 60 ms at 0.05 Mbit/s).
    let d = 0;
    const levels = [0, 1];
    const rt = new TreeRuntime(tinyRuntimeModel(tree, { ...viaRelay, url: relay.url }), {
      bandwidth: new InjectedBandwidth(() => TINY_LEVELS[levels[Math.min(d++, 1)]]), backend: 'wasm',
    });
    try {
      const before = relay.uploaded();
      const running = rt.infer(image);
      for (let waited = 0; relay.uploaded() === before && waited < 5000; waited += 2) await sleep(2);
      const sent = relay.uploaded() - before;
      relay.kill({ refuse: true });
      const { timeline, logits } = await running;
      assert.ok(sent > 0 && sent < 400, `${sent} bytes of the upload had passed when the link died`);
      assert.equal(timeline.fallback, 'cloud unreachable');
      assert.match(timeline.fallbackError ?? '', /127\.0\.0\.1/);
      assert.deepEqual([timeline.branch, timeline.cut], [[0, 3], 4]);
      assert.ok(maxDiff(logits, reference(['W1@c1'])) <= 1e-4, `max diff ${maxDiff(logits, reference(['W1@c1']))}`);
      assert.equal(timeline.cloudMs, 0);
    } finally {
      rt.dispose();
      relay.kill({ refuse: false });
      relay.setRateMbps(Infinity);
    }
  });

  test('a cloud that is gone: the probe reads 0 Mbit/s and the device branch runs; a forced offload falls back', async () => {
    const gone = await startCloudServer({ models: new Map([[TINY_KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
    const url = gone.url;
    await gone.close();
    const cloud = { url, token: TOKEN, modelKey: TINY_KEY };
    const probing = new TreeRuntime(tinyRuntimeModel(tree, cloud), { bandwidth: new BandwidthEstimator({ probe: httpProbe(url, TOKEN) }), backend: 'wasm' });
    const forced = new TreeRuntime(tinyRuntimeModel(tree, cloud), { bandwidth: new InjectedBandwidth(() => 2), backend: 'wasm' });
    const bare = new TreeRuntime({ ...tinyRuntimeModel(tree, cloud), fallback: null }, { bandwidth: new InjectedBandwidth(() => 2), backend: 'wasm' });
    try {
      const a = (await probing.infer(image)).timeline;
      assert.deepEqual(a.blocks.map((b) => [b.bandwidthMbps, b.bandwidthSource]), [[0, 'unreachable'], [0, 'unreachable'], [0, 'unreachable']]);
      assert.deepEqual([a.branch, a.cut, a.fallback], [[0, 2, 6], null, undefined]);
      const b = await forced.infer(image);
      assert.deepEqual([b.timeline.branch, b.timeline.cut, b.timeline.fallback], [[1], 0, 'cloud unreachable']);
      assert.match(b.timeline.fallbackError ?? '', /ECONNREFUSED/);
      assert.ok(maxDiff(b.logits, reference([])) <= 1e-4);
      await assert.rejects(bare.infer(image), (e: unknown) => e instanceof RuntimeCloudError && /offload at cut 0 failed .* no on-device fallback/.test(e.message));
    } finally {
      probing.dispose();
      forced.dispose();
      bare.dispose();
    }
  });
});
