// Exported single-layer ONNX models are loaded and run by the real onnxruntime-node;
// the output dims must equal analyzeModel's shape in NCHW, and the studio's own ONNX
// importer must read each file back to the same MACCs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { parseOnnxModel } from '../../dnn/formats/onnx.ts';
import { exportOnnx, toNchw } from './onnx-export.ts';
import { ModelExportError } from './export-errors.ts';

async function runOnnx(bytes: Uint8Array, inputDims: number[]): Promise<{ dims: readonly number[]; data: Float32Array }> {
  const session = await InferenceSession.create(bytes);
  assert.deepEqual(session.inputNames, ['input']);
  const size = inputDims.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 101) / 101 - 0.5);
  const out = await session.run({ input: new Tensor('float32', data, inputDims) });
  const tensor = out[session.outputNames[0]];
  return { dims: tensor.dims, data: tensor.data as Float32Array };
}

const cases: ModelSpec[] = [
  { name: 'conv-k3-same', inputShape: [16, 16, 8], layers: [{ id: 'c', type: 'conv', kernel: 3, outChannels: 16, padding: 'same' }] },
  { name: 'conv-k5-s2-p2-relu', inputShape: [15, 15, 4], layers: [{ id: 'c', type: 'conv', kernel: 5, stride: 2, padding: 2, outChannels: 6, activation: 'relu' }] },
  { name: 'conv-k7-s2-same-odd', inputShape: [17, 17, 3], layers: [{ id: 'c', type: 'conv', kernel: 7, stride: 2, padding: 'same', outChannels: 8 }] },
  { name: 'conv-k1-valid-nobias', inputShape: [8, 8, 32], layers: [{ id: 'c', type: 'conv', kernel: 1, outChannels: 64, useBias: false }] },
  { name: 'conv-grouped', inputShape: [8, 8, 8], layers: [{ id: 'c', type: 'conv', kernel: 3, outChannels: 16, groups: 4, padding: 1 }] },
  { name: 'dw-k3-same-relu6', inputShape: [12, 12, 16], layers: [{ id: 'd', type: 'depthwise', kernel: 3, padding: 'same', activation: 'relu6' }] },
  { name: 'fc-256-100', inputShape: [1, 1, 256], layers: [{ id: 'f', type: 'flatten' }, { id: 'fc', type: 'fc', outChannels: 100 }] },
  { name: 'maxpool-2', inputShape: [16, 16, 8], layers: [{ id: 'p', type: 'maxpool', kernel: 2 }] },
  { name: 'avgpool-3-s2-same', inputShape: [9, 9, 4], layers: [{ id: 'p', type: 'avgpool', kernel: 3, stride: 2, padding: 'same' }] },
  { name: 'bn', inputShape: [8, 8, 16], layers: [{ id: 'b', type: 'bn' }] },
  { name: 'relu', inputShape: [8, 8, 16], layers: [{ id: 'a', type: 'activation', activation: 'relu' }] },
  { name: 'chain', inputShape: [16, 16, 3], layers: [
    { id: 'c1', type: 'conv', kernel: 3, outChannels: 8, padding: 1, activation: 'relu' },
    { id: 'p1', type: 'maxpool', kernel: 2 },
    { id: 'b1', type: 'bn' },
    { id: 'g', type: 'gap' },
    { id: 'fc', type: 'fc', outChannels: 10, activation: 'softmax' },
  ] },
];

describe('ONNX export of benchmark layers', () => {
  for (const spec of cases) {
    test(`${spec.name}: onnxruntime runs it to the analysed shape, the importer reads the same MACCs`, async () => {
      const analysis = analyzeModel(spec);
      const bytes = exportOnnx(spec);
      const { dims, data } = await runOnnx(bytes, toNchw(spec.inputShape));
      assert.deepEqual([...dims], toNchw(analysis.outputShape));
      assert.ok(data.every((v) => Number.isFinite(v)), 'finite outputs');
      const back = analyzeModel(parseOnnxModel(`${spec.name}.onnx`, bytes));
      assert.equal(back.macc, analysis.macc);
      assert.deepEqual(back.outputShape, analysis.outputShape);
    });
  }

  test('MACCs by hand: 3x3 conv 8->16 on 16x16 SAME is 3*3*8*16*16*16 = 294,912', () => {
    assert.equal(analyzeModel(parseOnnxModel('c.onnx', exportOnnx(cases[0]))).macc, 294_912);
  });

  test('relu6 clips to [0, 6] and a fused relu leaves no negatives', async () => {
    const relu6: ModelSpec = { name: 'r6', inputShape: [4, 4, 4], layers: [{ id: 'c', type: 'conv', kernel: 1, outChannels: 4, activation: 'relu6' }] };
    const { data } = await runOnnx(exportOnnx(relu6), [1, 4, 4, 4]);
    assert.ok(data.every((v) => v >= 0 && v <= 6));
    const { data: reluData } = await runOnnx(exportOnnx(cases[1]), toNchw(cases[1].inputShape));
    assert.ok(reluData.every((v) => v >= 0));
    assert.ok(reluData.some((v) => v > 0));
  });

  test('the same seed writes the same bytes; another seed other weights', async () => {
    const { seededWeights } = await import('./seeded-weights.ts');
    assert.deepEqual(exportOnnx(cases[0], seededWeights(7)), exportOnnx(cases[0], seededWeights(7)));
    assert.notDeepEqual(exportOnnx(cases[0], seededWeights(7)), exportOnnx(cases[0], seededWeights(8)));
  });

  test('an activation with no ONNX export names the model and layer', () => {
    const spec = { name: 'odd', inputShape: [4, 4, 4], layers: [{ id: 'act1', type: 'activation', activation: 'mish' }] } as unknown as ModelSpec;
    assert.throws(() => exportOnnx(spec), (e: Error) => e instanceof ModelExportError && /'odd'/.test(e.message) && /'act1'/.test(e.message) && /mish/.test(e.message));
  });
});
