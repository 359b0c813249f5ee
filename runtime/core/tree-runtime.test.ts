import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { SpecExecutor } from '../../dnn/tfjs/spec-executor.ts';
import { startCloudServer } from '../../cloud/cloud-server.ts';
import type { CloudServer } from '../../cloud/cloud-server.ts';
import type { ModelTree } from '../../search/model-tree.ts';
import { TINY_CHAIN } from '../../search/testing/tiny-problem.ts';
import { InjectedBandwidth } from './bandwidth-estimator.ts';
import { TreeRuntime } from './tree-runtime.ts';
import type { RuntimeModel } from './runtime-model.ts';
import { TINY_BASE_WEIGHTS, TINY_KEY, TINY_LEVELS, tinyComposedReference, tinyRuntimeModel, tinyTree } from '../testing/tiny-runtime.ts';

const TOKEN = 'runtime-test-token';
let server: CloudServer;
let tensorsBefore = 0;
let plain: ModelTree;
let compressed: ModelTree;
let images: tf.Tensor4D;

before(async () => {
  const info = await initTfjsBackend();
  assert.equal(info.name, 'wasm', info.description);
  tensorsBefore = tf.memory().numTensors;
  server = await startCloudServer({ models: new Map([[TINY_KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
  plain = await tinyTree({ variants: false });
  compressed = await tinyTree({ variants: true });
  images = tf.randomNormal([2, ...TINY_CHAIN.inputShape], 0, 1, 'float32', 7) as tf.Tensor4D;
});

after(async () => {
  images.dispose();
  await server.close();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'leaked tensors');
});

const cloud = (): RuntimeModel['cloud'] => ({ url: server.url, token: TOKEN, modelKey: TINY_KEY });

/** The bandwidth of each decision in turn: the middle of type `levels[d]`. */
function script(levels: readonly number[]): InjectedBandwidth {
  let d = 0;
  return new InjectedBandwidth(() => TINY_LEVELS[levels[Math.min(d++, levels.length - 1)]]);
}

function reference(variantIds: readonly string[]): Float32Array {
  const { spec, weights } = tinyComposedReference(variantIds);
  const ex = new SpecExecutor(spec, weights);
  const y = ex.predict(images);
  const values = y.dataSync() as Float32Array;
  y.dispose();
  ex.dispose();
  return values;
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('tree runtime (Alg. 2) against a cloud server on loopback', () => {
  test('every branch of a tree without variants gives the base model\'s logits (1e-4), cut where the tree says', async () => {
    const rt = new TreeRuntime(tinyRuntimeModel(plain, cloud()), { bandwidth: new InjectedBandwidth(() => 1), backend: 'wasm' });
    const base = reference([]);
    try {
      for (const b of plain.branches) {
        const runtime = new TreeRuntime(tinyRuntimeModel(plain, cloud()), { bandwidth: script(b.levels), backend: 'wasm' });
        const { timeline, logits } = await runtime.infer(images);
        runtime.dispose();
        const reached = b.nodeIds.slice(0, b.nodeIds.indexOf(b.terminalNode) + 1);
        assert.deepEqual(timeline.branch, reached, `levels ${b.levels}`);
        assert.equal(timeline.cut, b.composition.cut === TINY_CHAIN.layers.length ? null : b.composition.cut);
        assert.ok(maxDiff(logits, base) <= 1e-4, `levels ${b.levels}: max diff ${maxDiff(logits, base)}`);
        assert.equal(timeline.fallback, undefined);
        if (timeline.cut !== null) {
          assert.ok(timeline.cloudMs > 0 && timeline.transferMs >= 0 && timeline.sentBytes > 0, JSON.stringify(timeline));
        } else {
          assert.equal(timeline.cloudMs + timeline.transferMs + timeline.sentBytes, 0);
        }
        const argmax = [0, 1].map((i) => Array.from(base.subarray(10 * i, 10 * i + 10)).indexOf(Math.max(...base.subarray(10 * i, 10 * i + 10))));
        assert.deepEqual(timeline.predictedClasses, argmax);
        assert.ok(timeline.totalMs >= timeline.edgeMs + timeline.transferMs + timeline.cloudMs - 1e-6);
        assert.deepEqual(timeline.blocks.map((s) => s.bandwidthMbps), reached.map((_, d) => TINY_LEVELS[b.levels[d]]));
      }
    } finally {
      rt.dispose();
    }
  });

  test('offload guard: a rate under the cutting node\'s guard finishes on the device (nothing sent, base logits); over it, the features go', async () => {
    const b = plain.branches.find((x) => x.composition.cut < TINY_CHAIN.layers.length) as (typeof plain.branches)[number];
    assert.ok(b, 'a branch that offloads');
    const base = reference([]);
    const run = async (guardMbps: number): Promise<Awaited<ReturnType<TreeRuntime['infer']>>['timeline']> => {
      const model = tinyRuntimeModel(plain, cloud());
      const node = model.nodes[b.terminalNode];
      node.offload = { ...(node.offload as NonNullable<typeof node.offload>), guardMbps };
      const runtime = new TreeRuntime(model, { bandwidth: script(b.levels), backend: 'wasm' });
      try {
        const { timeline, logits } = await runtime.infer(images);
        assert.ok(maxDiff(logits, base) <= 1e-4, `guard ${guardMbps}: max diff ${maxDiff(logits, base)}`);
        return timeline;
      } finally {
        runtime.dispose();
      }
    };
    const seen = TINY_LEVELS[b.levels[b.nodeIds.indexOf(b.terminalNode)]];
    const guarded = await run(seen * 2);
    assert.equal(guarded.fallback, 'link too slow');
    assert.match(guarded.fallbackError ?? '', /under the offload guard/);
    assert.equal(guarded.cut, null);
    assert.equal(guarded.sentBytes + guarded.cloudMs + guarded.transferMs, 0);
    const sent = await run(seen / 2);
    assert.equal(sent.fallback, undefined);
    assert.equal(sent.cut, b.composition.cut);
    assert.ok(sent.sentBytes > 0 && sent.cloudMs > 0);
  });

  test('with variants, each branch gives its composed model\'s logits (device variants, cloud base)', async () => {
    for (const b of compressed.branches) {
      const runtime = new TreeRuntime(tinyRuntimeModel(compressed, cloud()), { bandwidth: script(b.levels), backend: 'wasm' });
      const { timeline, logits } = await runtime.infer(images);
      runtime.dispose();
      const expected = reference(b.composition.variantIds);
      assert.ok(maxDiff(logits, expected) <= 1e-4, `levels ${b.levels} (${b.key}): max diff ${maxDiff(logits, expected)}`);
      assert.equal(timeline.levels.length, timeline.branch.length);
    }
    // The poor-link branch compresses: its answer differs from the base model's.
    assert.ok(maxDiff(reference(['W1@c1', 'F3@head']), reference([])) > 1e-3);
  });

  test('the branch follows the bandwidth seen before each block (estimate injected)', async () => {
    const runtime = new TreeRuntime(tinyRuntimeModel(compressed, cloud()), { bandwidth: script([0, 0, 0]), backend: 'wasm' });
    const rt2 = new TreeRuntime(tinyRuntimeModel(compressed, cloud()), { bandwidth: script([0, 1]), backend: 'wasm' });
    const bw3 = script([1]);
    const rt3 = new TreeRuntime(tinyRuntimeModel(compressed, cloud()), { bandwidth: bw3, backend: 'wasm' });
    try {
      // Poor throughout: all on the device, W1 then F3; poor then good: offload after block 0 (cut 4); good at once: send the input.
      const a = (await runtime.infer(images)).timeline;
      const b = (await rt2.infer(images)).timeline;
      const c = (await rt3.infer(images)).timeline;
      // The offload is reported to the bandwidth source: its bytes and its network time.
      assert.deepEqual(bw3.recorded, [{ bytes: c.sentBytes, ms: c.transferMs }]);
      assert.deepEqual([a.branch, a.cut], [[0, 2, 6], null]);
      assert.deepEqual([b.branch, b.cut], [[0, 3], 4]);
      assert.deepEqual([c.branch, c.cut], [[1], 0]);
      assert.deepEqual(a.levels, [0, 0, 0]);
      assert.deepEqual(b.levels, [0, 1]);
    } finally {
      runtime.dispose();
      rt2.dispose();
      rt3.dispose();
    }
  });
});
