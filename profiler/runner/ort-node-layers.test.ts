import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { layerOfNode, layerTimesOfRun } from './ort-node-layers.ts';

// A residual block as ORT 1.30 profiles it: conv+bn+relu fused under the relu's tensor, the
// second conv with its bn, the add and the last relu fused under the bn's tensor.
const spec: ModelSpec = {
  name: 'block', inputShape: [8, 8, 16],
  layers: [
    { id: 'c1', type: 'conv', kernel: 3, stride: 1, padding: 'same', outChannels: 16 },
    { id: 'b1', type: 'bn' },
    { id: 'r1', type: 'activation', activation: 'relu' },
    { id: 'c2', type: 'conv', kernel: 3, stride: 1, padding: 'same', outChannels: 16 },
    { id: 'b2', type: 'bn' },
    { id: 'add', type: 'add', inputs: ['b2', '@input'] },
    { id: 'r2', type: 'activation', activation: 'relu' },
    { id: 'c3', type: 'conv', kernel: 1, stride: 1, padding: 'same', outChannels: 8 },
    { id: 'gap', type: 'gap' },
    { id: 'fc', type: 'fc', outChannels: 10 },
  ],
};
const ids = spec.layers.map((l) => l.id);

test('a node is put on its layer by the exporter\'s name, a fused node by its tensor, the last by the output; layout nodes on none', () => {
  assert.equal(layerOfNode(ids, 'fc/Gemm_12_kernel_time'), ids.indexOf('fc'));
  assert.equal(layerOfNode(ids, 'fused fc/Gemm_12_kernel_time'), ids.indexOf('fc'));
  assert.equal(layerOfNode(ids, 't_r1_nchwc_kernel_time'), ids.indexOf('r1'));
  assert.equal(layerOfNode(ids, 't_b2_nchwc'), ids.indexOf('b2'));
  assert.equal(layerOfNode(ids, 'output_nchwc_kernel_time'), ids.length - 1);
  assert.equal(layerOfNode(ids, 'ReorderOutput_kernel_time'), null);
  // The longest id wins: "add" is not "a".
  assert.equal(layerOfNode(['a', 'add'], 't_add_nchwc'), 1);
  // An imported model's ids may hold slashes themselves.
  assert.equal(layerOfNode(['/features/0', 'x'], '/features/0/Conv_0_kernel_time'), 0);
});

test('a fused node\'s time goes to the heaviest layer of the chain it replaced; the fused layers read 0', () => {
  const analysis = analyzeModel(spec);
  const ms = layerTimesOfRun(analysis, [
    { name: 't_r1_nchwc_kernel_time', ms: 0.3 },
    { name: 't_b2_nchwc_kernel_time', ms: 0.4 },
    { name: 't_c3_nchwc_kernel_time', ms: 0.05 },
    { name: 'ReorderOutput_kernel_time', ms: 0.01 },
    { name: 't_gap_gap_nchwc_kernel_time', ms: 0.02 },
    { name: 'fc/Gemm_10_kernel_time', ms: 0.01 },
  ]);
  const by = Object.fromEntries(ids.map((id, i) => [id, ms[i]]));
  assert.deepEqual(by, { c1: 0.3, b1: 0, r1: 0, c2: 0.4, b2: 0, add: 0, r2: 0, c3: 0.05, gap: 0.02, fc: 0.01 });
});
