import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { SpecExecutor } from '../tfjs/spec-executor.ts';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { builtinModel } from '../models/builtin.ts';
import { adoptWeights, WeightAdoptionError } from '../models/adopt-weights.ts';
import { analyzeModel } from '../spec/analyze.ts';
import { ModelImportError } from './errors.ts';
import { importOnnxWithWeights } from './onnx-weights.ts';
import { halfBitsToFloat as halfToFloat } from '../tfjs/weight-codec.ts';

// Files PyTorch exported with recipes/pytorch/make_test_fixtures.py (width 1/8,
// random batch-norm statistics), as the trained base models are exported.
const FIXTURES = join(import.meta.dirname, '../../test/fixtures/onnx');

useWasmWithoutLeaks();

/** The same NCHW batch through onnxruntime and, as NHWC, through the studio's executor. */
async function compare(file: string, channels: number): Promise<{ maxDiff: number; scale: number; spec: ReturnType<typeof importOnnxWithWeights>['spec'] }> {
  const bytes = readFileSync(join(FIXTURES, file));
  const { spec, weights } = importOnnxWithWeights(file, bytes);
  const random = new SeededRandom(3);
  const n = 2;
  const nchw = Float32Array.from({ length: n * channels * 32 * 32 }, () => random.normal());
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', nchw, [n, channels, 32, 32]) });
  const expected = result.logits.data as Float32Array;
  const executor = new SpecExecutor(spec, weights);
  const actual = tf.tidy(() => {
    const x = tf.tensor4d(nchw, [n, channels, 32, 32]).transpose([0, 2, 3, 1]) as tf.Tensor4D;
    return executor.predict(x).dataSync() as Float32Array;
  });
  executor.dispose();
  await session.release();
  let maxDiff = 0;
  let scale = 0;
  expected.forEach((v, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(v - actual[i]));
    scale = Math.max(scale, Math.abs(v));
  });
  return { maxDiff, scale, spec };
}

describe('ONNX weights from PyTorch', () => {
  test('vgg11 (batch norm kept, 1x1 map before the FCs) gives onnxruntime\'s logits', async () => {
    const { maxDiff, scale, spec } = await compare('torch-vgg11-w0.125.onnx', 3);
    assert.ok(scale > 0.01, `logits are not all zero (max |logit| ${scale})`);
    assert.ok(maxDiff < 1e-4 * Math.max(1, scale), `max difference ${maxDiff} (max |logit| ${scale})`);
    // The layer ids are the PyTorch module names, as in the studio's own vgg11.
    assert.deepEqual(spec.layers.map((l) => l.id), builtinModel('vgg11', 'cifar10').layers.map((l) => l.id));
    assert.equal(analyzeModel(spec).macc, analyzeModel(builtinModel('vgg11', 'cifar10', { width: 0.125 })).macc);
  });

  test('alexnet (an 8x8x8 map flattened into fc1, pads folded into the max-pools) gives onnxruntime\'s logits', async () => {
    const { maxDiff, scale, spec } = await compare('torch-alexnet-w0.125.onnx', 1);
    assert.equal(spec.layers.find((l) => l.id === 'pool1')?.padding, 'same');
    assert.ok(scale > 0.01);
    assert.ok(maxDiff < 1e-4 * Math.max(1, scale), `max difference ${maxDiff} (max |logit| ${scale})`);
    // The file fits the studio's alexnet at width 1/8, 'same' pads and all.
    const weights = adoptWeights(importOnnxWithWeights('a', readFileSync(join(FIXTURES, 'torch-alexnet-w0.125.onnx'))), 'the file', builtinModel('alexnet', 'fashion-mnist', { width: 0.125 }), 'alexnet');
    assert.equal(weights.get('fc1')?.kernel?.length, 8 * 8 * 8 * 48);
    assert.throws(() => adoptWeights(importOnnxWithWeights('a', readFileSync(join(FIXTURES, 'torch-alexnet-w0.125.onnx'))), 'the file', builtinModel('alexnet', 'fashion-mnist'), 'alexnet'), WeightAdoptionError);
    assert.equal(analyzeModel(spec).layers.find((l) => l.layer.id === 'fc1')?.inputShapes[0].join('x'), '512');
  });

  test('a truncated weight is refused naming the file and node', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'torch-alexnet-w0.125.onnx')));
    // Cut the file inside its last initializer (the classifier's bias sits near the end).
    assert.throws(() => importOnnxWithWeights('cut.onnx', bytes.subarray(0, bytes.length - 300)), (e: unknown) => e instanceof ModelImportError && /cut\.onnx/.test(e.message));
  });

  test('float16 halves decode', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x3555), 0.333251953125);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
  });
});
