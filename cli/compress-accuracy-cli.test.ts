// @serial
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import type { CliRun } from './run-cli.ts';
import type { CompressLayerResult } from '../accuracy/compress-layer.ts';

// The real bin on the shipped Fashion-MNIST alexnet (width 0.5), small figures:
// 200 validation images, blocks distilled on 128 training images for 1 epoch.
const cli = createCliHome();
after(() => cli.dispose());
const SMALL = ['--model', 'alexnet', '--dataset', 'fashion-mnist', '--distill-images', '128', '--distill-epochs', '1'];
const compress = (...args: string[]): CliRun => cli.run('compress', ...SMALL, '--val-images', '200', ...args, '--json');
const accuracy = (...args: string[]): CliRun => cli.run('accuracy', ...SMALL, '--split', 'val', '--images', '200', ...args, '--json');

interface AccuracyDoc { accuracy: number; images: number; cached: boolean; variants: string[] }

describe('edgetree compress and edgetree accuracy', () => {
  // alexnet w0.5 on 32x32x1: conv1 5x5x1x32 at 32x32 = 819,200; conv2 5x5x32x32 at 16x16 = 6,553,600;
  // fc1 2048x192 = 393,216; fc2 192x96 = 18,432; fc3 96x10 = 960: 7,785,408 in all.
  const BASE_MACC = 819_200 + 6_553_600 + 393_216 + 18_432 + 960;

  test('W1 on conv2: half the filters gone, conv2 and fc1 halve, accuracies on 200 images; the second call is stored', () => {
    const r = compress('--technique', 'W1', '--layer', 'conv2');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json<CompressLayerResult>();
    assert.equal(doc.maccBefore, BASE_MACC);
    // 16 of 32 filters kept: conv2 -3,276,800, fc1 reads 8x8x16 = 1,024 inputs: -196,608.
    assert.equal(doc.maccAfter, BASE_MACC - 3_276_800 - 196_608);
    assert.deepEqual(doc.spec.map((l) => l.id), ['conv2', 'relu2', 'pool2', 'flatten', 'fc1']);
    assert.equal(doc.spec[0].type === 'conv' && doc.spec[0].outChannels, 16);
    assert.equal(doc.variant.id, 'W1@conv2');
    assert.equal(doc.variant.layerIndex, 3);
    assert.deepEqual([doc.variant.distillation.images, doc.variant.distillation.epochs], [128, 1]);
    assert.equal(doc.images, 200);
    assert.equal(doc.cached, false);
    // The shipped model is above 90%; a block distilled this briefly still keeps most of it.
    assert.ok(doc.accuracyBefore > 0.88, `base ${doc.accuracyBefore}`);
    assert.ok(doc.accuracyAfter > 0.5 && doc.accuracyAfter <= 1, `W1 ${doc.accuracyAfter}`);
    assert.match(r.stderr, /wasm/);

    const again = compress('--technique', 'W1', '--layer', '3');
    assert.equal(again.code, 0, again.stderr);
    const second = again.json<CompressLayerResult>();
    assert.equal(second.cached, true);
    assert.deepEqual({ ...second, cached: false }, doc);

    // The same figures from edgetree accuracy, out of the memory pool, both ways of naming the block.
    const base = accuracy();
    assert.equal(base.code, 0, base.stderr);
    assert.deepEqual(base.json<AccuracyDoc>(), { accuracy: doc.accuracyBefore, images: 200, cached: true, correct: Math.round(doc.accuracyBefore * 200), split: 'val', variants: [] });
    const file = join(cli.home, 'w1.json');
    writeFileSync(file, JSON.stringify({ variants: ['W1@conv2'] }));
    const composed = accuracy('--composition', file).json<AccuracyDoc>();
    assert.equal(composed.accuracy, doc.accuracyAfter);
    assert.equal(composed.cached, true);
    assert.deepEqual(composed.variants, ['W1@conv2']);
    writeFileSync(file, JSON.stringify({ variants: [{ technique: 'W1', layer: 3 }] }));
    assert.equal(accuracy('--composition', file).json<AccuracyDoc>().accuracy, doc.accuracyAfter);
  });

  test('--param ratio=0.25 is another stored block: 24 of 32 filters kept', () => {
    const r = compress('--technique', 'W1', '--layer', 'conv2', '--param', 'ratio=0.25');
    assert.equal(r.code, 0, r.stderr);
    const doc = r.json<CompressLayerResult>();
    assert.equal(doc.cached, false);
    assert.deepEqual(doc.variant.params, { ratio: 0.25 });
    // conv2 -8 filters: -1,638,400; fc1 reads 8x8x24 = 1,536 inputs: -98,304.
    assert.equal(doc.maccAfter, BASE_MACC - 1_638_400 - 98_304);
    assert.notEqual(doc.variant.key, compress('--technique', 'W1', '--layer', 'conv2').json<CompressLayerResult>().variant.key);
  });

  test('the base model on the first 200 test images: measured, then from the pool', () => {
    const first = cli.run('accuracy', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--images', '200', '--json');
    assert.equal(first.code, 0, first.stderr);
    const a = first.json<AccuracyDoc & { split: string }>();
    assert.equal(a.split, 'test');
    assert.equal(a.images, 200);
    assert.equal(a.cached, false);
    assert.ok(a.accuracy > 0.88);
    const b = cli.run('accuracy', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--images', '200', '--json').json<AccuracyDoc>();
    assert.deepEqual(b, { ...a, cached: true });
  });

  test('refusals exit 2 and say why: a technique that does not fit, no trained model, a bad composition, bad usage', () => {
    const f1 = compress('--technique', 'F1', '--layer', 'conv2');
    assert.equal(f1.code, 2);
    const e = f1.json<{ error: { name: string; message: string } }>().error;
    assert.equal(e.name, 'CompressionError');
    assert.match(e.message, /F1 \(SVD\) on model "alexnet", layer 3 "conv2" \(conv\): applies to fc layers only/);
    const text = cli.run('compress', ...SMALL, '--technique', 'C1', '--layer', 'fc1');
    assert.equal(text.code, 2);
    assert.match(text.stderr, /C1 \(MobileNet\) on model "alexnet", layer 7 "fc1"/);
    assert.match(compress('--technique', 'W1', '--layer', 'conv9').json<{ error: { message: string } }>().error.message, /no layer has the id "conv9"/);

    const empty = join(cli.home, 'no-models');
    mkdirSync(empty);
    process.env.EDGETREE_TRAINED_DIR = empty;
    try {
      const missing = cli.run('accuracy', '--model', 'vgg11', '--dataset', 'cifar10', '--json');
      assert.equal(missing.code, 2);
      assert.equal(missing.json<{ error: { name: string } }>().error.name, 'BaseModelMissingError');
      assert.match(missing.stdout, /edgetree train --model vgg11 --dataset cifar10/);
    } finally {
      delete process.env.EDGETREE_TRAINED_DIR;
    }

    const bad = join(cli.home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ variants: ['Z9@conv2'] }));
    const comp = accuracy('--composition', bad);
    assert.equal(comp.code, 2);
    assert.match(comp.json<{ error: { message: string } }>().error.message, /variants\[0\] "Z9@conv2" is not TECHNIQUE@LAYER/);
    assert.equal(compress('--technique', 'X1', '--layer', 'conv2').code, 2);
    assert.equal(compress('--technique', 'W1', '--layer', 'conv2', '--param', 'ratio').code, 2);
    assert.equal(accuracy('--split', 'train').code, 2);
  });
});
