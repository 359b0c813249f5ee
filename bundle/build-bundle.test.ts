import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { sliceBlocks } from '../dnn/spec/blocks.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { decodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import { composeSpec } from '../search/compose-spec.ts';
import { EvaluationPool } from '../search/evaluation-pool.ts';
import { buildTree } from '../search/tree-build.ts';
import { TINY_CATALOG, TINY_CHAIN, tinyProblem } from '../search/testing/tiny-problem.ts';
import { nearestLevel } from '../traces/contexts.ts';
import { bandwidthType } from '../api/bundle/bandwidth-type.ts';
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { buildBundle } from './build-bundle.ts';
import { BundleBuildError } from './bundle-build-error.ts';
import { openBundle } from './open-bundle.ts';
import { TINY_BASE_WEIGHTS, TINY_LEVELS_MBPS, tinyBundleInput, tinyVariantWeights } from './testing/tiny-tree.ts';

useWasmWithoutLeaks();

/** The device layers of a branch's nodes, concatenated into one model (the runtime runs them block by block). */
async function branchDeviceModel(dir: string, m: BundleManifest, nodeIds: number[]): Promise<{ spec: ModelSpec; weights: WeightSet }> {
  const opened = await openBundle(dir);
  const spec: ModelSpec = { name: 'branch', inputShape: m.inputShape, layers: [] };
  const weights: WeightSet = new Map();
  for (const id of nodeIds) {
    const n = m.nodes[id];
    if (!n.device) break;
    spec.layers.push(...n.device.layers);
    for (const [k, w] of await opened.nodeWeights(id)) weights.set(k, w);
  }
  return { spec, weights };
}

function run(spec: ModelSpec, weights: WeightSet, input: tf.Tensor4D): Float32Array {
  const ex = new SpecExecutor(spec, weights);
  const out = ex.predict(input);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  ex.dispose();
  return values;
}

describe('buildBundle / openBundle round trip on the tiny tree', () => {
  let work = '';
  after(async () => rm(work, { recursive: true, force: true }));

  test('the manifest read back equals the one built; nodes, cuts and offload tensors as worked out by hand', async () => {
    work = await mkdtemp(join(tmpdir(), 'edgetree-bundle-'));
    const input = await tinyBundleInput({ weightsDtype: 'float32', cloud: { url: 'http://127.0.0.1:1', token: 't0k', modelKey: 'tiny/none' }, now: new Date('2025-01-02T03:04:05Z') });
    const built = await buildBundle(input, join(work, 'b32'));
    const opened = await openBundle(join(work, 'b32'));
    assert.deepEqual(opened.manifest, built.manifest);
    assert.equal(opened.bytes, built.bytes);
    const m = opened.manifest;
    assert.equal(m.formatVersion, 1);
    assert.equal(m.createdAt, '2025-01-02T03:04:05.000Z');
    assert.deepEqual(m.blocks, [{ index: 0, start: 0, end: 3 }, { index: 1, start: 3, end: 6 }, { index: 2, start: 6, end: 9 }]);
    assert.deepEqual(m.roots, [0, 1]);
    assert.equal(m.nodes.length, 14);
    // sqrt(0.05 * 2) = sqrt(0.1)
    assert.deepEqual(m.bandwidth, { levelsMbps: [0.05, 2], thresholdsMbps: [Math.sqrt(0.1)] });
    // Root 0 (poor network) runs block 0 on the device: c1, r1, p1, leaving p1 [4,4,4] for block 1.
    const n0 = m.nodes[0];
    assert.equal(n0.placement, 'device');
    assert.deepEqual(n0.device?.layers.map((l) => [l.id, l.inputs]), [['c1', ['@input']], ['r1', ['c1']], ['p1', ['r1']]]);
    assert.deepEqual(n0.device?.inputs, [{ id: '@input', shape: [8, 8, 2] }]);
    assert.deepEqual(n0.device?.outputs, [{ id: 'p1', shape: [4, 4, 4] }]);
    assert.deepEqual(n0.children, [2, 3]);
    // Root 1 (good network) sends the input: cut 0, nothing on the device, its subtree is cloud.
    assert.equal(m.nodes[1].cut, 0);
    assert.deepEqual(m.nodes[1].device?.layers, []);
    assert.equal(m.nodes[1].device?.weights, null);
    assert.deepEqual(m.nodes[1].offload, { cut: 0, tensors: [{ producer: '@input', tensor: '@input', shape: [8, 8, 2] }] });
    assert.deepEqual([4, 5, 10, 11, 12, 13].map((i) => m.nodes[i].placement), ['cloud', 'cloud', 'cloud', 'cloud', 'cloud', 'cloud']);
    // Node 2 swaps c2 for the depthwise-separable pair C1@c2; node 3 cuts at 3 and sends p1.
    assert.deepEqual(m.nodes[2].variants, [{ id: 'C1@c2', technique: 'C1', firstLayer: 3, lastLayer: 3 }]);
    assert.deepEqual(m.nodes[2].device?.layers.map((l) => l.id), ['c2_dw', 'c2_pw', 'r2', 'fl']);
    assert.deepEqual(m.nodes[2].device?.outputs, [{ id: 'fl', shape: [128] }]);
    assert.deepEqual(m.nodes[3].offload, { cut: 3, tensors: [{ producer: 'p1', tensor: 'p1', shape: [4, 4, 4] }] });
    // Node 6: F1@f1 and the rest on the device, the logits out; node 7 sends fl at cut 6.
    assert.deepEqual(m.nodes[6].device?.layers.map((l) => l.id), ['f1_a', 'f1_b', 'r3', 'f2']);
    assert.deepEqual(m.nodes[6].device?.outputs, [{ id: 'f2', shape: [10] }]);
    assert.equal(m.nodes[6].offload, null);
    assert.deepEqual(m.nodes[7].offload, { cut: 6, tensors: [{ producer: 'fl', tensor: 'fl', shape: [128] }] });
    // Branches carry the search's figures.
    assert.equal(m.branches.length, 8);
    const tree = input.tree;
    m.branches.forEach((b, i) => {
      assert.equal(b.reward, tree.branches[i].reward);
      assert.equal(b.totalMs, tree.branches[i].latency.totalMs);
      assert.equal(b.accuracy, tree.branches[i].accuracy);
    });
    assert.deepEqual(m.branches[0].variantIds, ['C1@c2', 'F1@f1']);
    assert.equal(m.cloud?.token, 't0k');
    // Root 1 offloads at cut 0, so the fallback is the whole base model, read from the input.
    assert.equal(m.fallback?.from, 0);
    assert.deepEqual(m.fallback?.layers.map((l) => l.id), TINY_CHAIN.layers.map((l) => l.id));
    assert.deepEqual(m.fallback?.inputs, [{ id: '@input', shape: [8, 8, 2] }]);
    assert.deepEqual(m.fallback?.outputs, [{ id: 'f2', shape: [10] }]);
    // Device nodes with weights (0, 2, 6) and the fallback, each its own file.
    assert.deepEqual(m.files.map((f) => f.path).sort(), [m.nodes[0].device?.weights, m.nodes[2].device?.weights, m.nodes[6].device?.weights, m.fallback?.weights].sort());
  });

  test('the bundle\'s device layers along branch 000 compute what the composed model computes (float32 exact, float16 close)', async () => {
    const f16 = await buildBundle(await tinyBundleInput({ weightsDtype: 'float16' }), join(work, 'b16'));
    const m = (await openBundle(join(work, 'b32'))).manifest;
    const c1 = TINY_CATALOG.find((v) => v.id === 'C1@c2');
    const f1 = TINY_CATALOG.find((v) => v.id === 'F1@f1');
    if (!c1 || !f1) throw new Error('tiny catalogue changed');
    const composed = composeSpec(TINY_CHAIN, [c1, f1], 9);
    const weights: WeightSet = new Map(TINY_BASE_WEIGHTS);
    for (const v of [c1, f1]) for (const [k, w] of tinyVariantWeights(v)) weights.set(k, w);
    const image = tf.randomUniform([1, 8, 8, 2], -1, 1, 'float32', 3) as tf.Tensor4D;
    const want = run(composed.spec, weights, image);
    const b32 = await branchDeviceModel(join(work, 'b32'), m, m.branches[0].nodeIds);
    assert.deepEqual([...run(b32.spec, b32.weights, image)], [...want]);
    // The fallback's layers and weights are the base model's.
    const fb = m.fallback;
    if (!fb) throw new Error('no fallback');
    const fbWeights = decodeWeightSet(await readFile(join(work, 'b32', fb.weights as string)), 'fallback').weights;
    assert.deepEqual([...run({ name: 'fb', inputShape: m.inputShape, layers: fb.layers }, fbWeights, image)], [...run(TINY_CHAIN, TINY_BASE_WEIGHTS, image)]);
    const b16 = await branchDeviceModel(f16.dir, f16.manifest, f16.manifest.branches[0].nodeIds);
    const got16 = run(b16.spec, b16.weights, image);
    const scale = Math.max(...want.map(Math.abs));
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got16[i] - want[i]) < 5e-3 * scale, `logit ${i}: ${got16[i]} vs ${want[i]}`);
    // Same headers, 2 bytes a value instead of 4: the files differ by half the float32 values' bytes.
    let values = 0;
    for (const id of [0, 2, 6]) for (const w of (await (await openBundle(join(work, 'b32'))).nodeWeights(id)).values()) for (const a of Object.values(w)) values += (a as Float32Array).length;
    for (const w of fbWeights.values()) for (const a of Object.values(w)) values += (a as Float32Array).length;
    const bytes = (mm: BundleManifest): number => mm.files.reduce((s, f) => s + f.bytes, 0);
    assert.equal(bytes(m) - bytes(f16.manifest), 2 * values);
    image.dispose();
  });

  test('the thresholds choose the type nearestLevel chooses (log space, ties low)', () => {
    const bw = { levelsMbps: TINY_LEVELS_MBPS, thresholdsMbps: [Math.sqrt(0.1)] };
    for (let e = -3; e <= 2; e += 0.01) {
      const mbps = 10 ** e;
      assert.equal(bandwidthType(bw, mbps), nearestLevel(TINY_LEVELS_MBPS, mbps), `${mbps} Mbit/s`);
    }
    const three = { levelsMbps: [1, 4, 16], thresholdsMbps: [2, 8] };
    assert.deepEqual([1.9, 2, 2.1, 8, 8.1, 100].map((x) => bandwidthType(three, x)), [0, 0, 1, 1, 2, 2]);
  });

  test('nodes with the same layers and weights share one file; runtime files are copied and listed', async () => {
    const pool = new EvaluationPool(tinyProblem(), sliceBlocks(analyzeModel(TINY_CHAIN), [3, 6]));
    const tree = await buildTree(pool, [1, 10], () => ({ cut: null, variantIds: [] }));
    const src = join(work, 'runtime-src');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'main.cjs'), 'console.log("runtime")\n');
    const built = await buildBundle(await tinyBundleInput({ tree, runtime: { files: [{ from: join(src, 'main.cjs'), path: 'runtime/node/main.cjs' }], nodeEntry: 'runtime/node/main.cjs' } }), join(work, 'shared'));
    // 2 + 4 + 8 device nodes, three distinct blocks of base layers; nothing offloads, so no fallback.
    assert.equal(built.manifest.nodes.filter((n) => n.placement === 'device').length, 14);
    assert.equal(new Set(built.manifest.nodes.map((n) => n.device?.weights)).size, 3);
    assert.equal(built.manifest.fallback, null);
    assert.equal(built.manifest.files.length, 4);
    assert.equal(built.manifest.runtime.nodeEntry, 'runtime/node/main.cjs');
    assert.deepEqual((await readdir(join(work, 'shared'))).sort(), ['manifest.json', 'runtime', 'weights']);
  });

  test('refusals: a non-empty output folder, a variant missing from the catalogue, a runtime path outside the bundle', async () => {
    await assert.rejects(buildBundle(await tinyBundleInput(), join(work, 'b32')), (e: unknown) => e instanceof BundleBuildError && /exists and is not empty/.test(e.message));
    await assert.rejects(buildBundle(await tinyBundleInput({ catalog: [] }), join(work, 'x1')), (e: unknown) => e instanceof BundleBuildError && /"C1@c2"/.test(e.message));
    await assert.rejects(buildBundle(await tinyBundleInput({ runtime: { files: [{ from: '/etc/hostname', path: '../evil' }] } }), join(work, 'x2')), (e: unknown) => e instanceof BundleBuildError && /"\.\.\/evil"/.test(e.message));
    const left = await readdir(work);
    assert.ok(!left.some((f) => f.startsWith('x1') || f.startsWith('x2')), `no partial folders left: ${left.join(', ')}`);
  });
});
