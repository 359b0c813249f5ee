/**
 * The on-device runtime (issue 6 item 7): decision overhead per block (goal < 1 ms) and the
 * bandwidth probe's cost. A vgg11 (Fashion-MNIST, seeded weights) tree of 3 blocks x 2
 * bandwidth types runs on WASM with the passive estimate fresh, so each decision is what
 * Alg. 2 adds per block (read the estimate, map it to a type, follow the child); the
 * probe (16 KiB POST /v1/probe) is timed against a cloud server on loopback and through a
 * relay pacing the upload at 10 and 1 Mbit/s. Prints; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { balancedBlocks } from '../dnn/spec/blocks.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { treeShape } from '../search/model-tree.ts';
import type { ModelTree, TreeNode } from '../search/model-tree.ts';
import { startCloudServer } from '../cloud/cloud-server.ts';
import { BandwidthEstimator } from '../runtime/core/bandwidth-estimator.ts';
import { httpProbe } from '../runtime/core/bandwidth-probe.ts';
import { runtimeModelFromTree } from '../runtime/core/runtime-model-from-tree.ts';
import { TreeRuntime } from '../runtime/core/tree-runtime.ts';
import { startThrottledRelay } from '../runtime/testing/throttled-relay.ts';

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const fmt = (x: number): string => (x < 0.1 ? x.toFixed(4) : x.toFixed(2));

const backend = await initTfjsBackend();
const spec = builtinModel('vgg11', 'fashion-mnist');
const weights = initWeights(spec, 1);
const blocks = balancedBlocks(analyzeModel(spec), 3);
const levels = [1, 20];
// A hand-made tree: every node on the device, no variants (the decision's cost does not depend on them).
const nodes: TreeNode[] = treeShape(3, 2).map((s, id) => ({ id, ...s, cloud: false, cut: null, variantIds: [], children: [], reward: 0 }));
for (const n of nodes) if (n.parent !== null) nodes[n.parent].children.push(n.id);
const tree: ModelTree = { blocks, levelsMbps: levels, nodes, roots: [0, 1], branches: [], reward: 0 };
const model = runtimeModelFromTree({ base: spec, tree, catalog: [], baseWeights: weights, variantWeights: () => new Map(), cloud: null });

const estimator = new BandwidthEstimator({ probe: null, staleMs: Infinity });
let flip = 0;
// Alternate the recorded rate so the branch changes between inferences.
const rt = new TreeRuntime(model, { bandwidth: estimator, backend: backend.description });
const image = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', 2) as tf.Tensor4D;
const decisions: number[] = [];
const edges: number[] = [];
for (let i = 0; i < 60; i++) {
  estimator.record(flip++ % 2 === 0 ? 125_000 : 2_500_000, 1000);
  const { timeline } = await rt.infer(image);
  if (i < 10) continue; // warm-up
  for (const b of timeline.blocks) decisions.push(b.decisionMs);
  edges.push(timeline.edgeMs);
}
rt.dispose();
image.dispose();
console.log(`backend ${backend.description}; vgg11/fashion-mnist, 3 blocks x 2 types, 50 inferences after 10 warm-up`);
console.log(`decision overhead per block: median ${fmt(quantile(decisions, 0.5))} ms, p95 ${fmt(quantile(decisions, 0.95))} ms, max ${fmt(Math.max(...decisions))} ms (goal < 1 ms); edge compute per inference median ${fmt(quantile(edges, 0.5))} ms`);

const server = await startCloudServer({ models: new Map([['vgg11/fashion-mnist', { spec, weights }]]), token: 'bench' });
for (const [label, mbps] of [['loopback', Infinity], ['relay 10 Mbit/s', 10], ['relay 1 Mbit/s', 1]] as const) {
  const relay = await startThrottledRelay(server.port, mbps);
  const probe = httpProbe(mbps === Infinity ? server.url : relay.url, 'bench');
  const ms: number[] = [];
  const rates: number[] = [];
  const runs = mbps === 1 ? 8 : 30;
  for (let i = 0; i < runs; i++) {
    const p = await probe();
    ms.push(p.ms);
    rates.push((p.bytes * 8) / (p.ms * 1000));
  }
  await relay.close();
  console.log(`probe 16 KiB, ${label}: median ${fmt(quantile(ms, 0.5))} ms (p95 ${fmt(quantile(ms, 0.95))}), reads ${fmt(quantile(rates, 0.5))} Mbit/s`);
}
await server.close();
