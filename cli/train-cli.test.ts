import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';

const cli = createCliHome();
after(() => cli.dispose());

describe('edgetree train and models import-weights', () => {
  test('train: a tiny alexnet on 256 Fashion-MNIST images is stored with its measured accuracy; the rerun resumes from the finished checkpoint', () => {
    const out = join(cli.home, 'trained');
    const args = ['train', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--width', '0.25', '--epochs', '1', '--batch', '32', '--train-images', '256', '--test-images', '200', '--out', out, '--json'];
    const r = cli.run(...args);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const s = r.json<{ testAccuracy: number; testImages: number; file: string; resumedFrom: unknown }>();
    assert.equal(s.testImages, 200);
    assert.ok(s.testAccuracy > 0.2, `accuracy ${s.testAccuracy} after 8 steps (chance 0.1)`);
    assert.ok(existsSync(join(out, 'fashion-mnist', 'alexnet.etw')));
    assert.match(r.stderr, /backend wasm/);
    const again = cli.run(...args);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual(again.json<{ resumedFrom: unknown }>().resumedFrom, { epoch: 1, step: 0 });
  });

  test('models import-weights: PyTorch ONNX weights checked against the spec, measured, stored; a mismatched width is refused', () => {
    const out = join(cli.home, 'imported');
    const onnx = join(import.meta.dirname, '..', 'test', 'fixtures', 'onnx', 'torch-alexnet-w0.125.onnx');
    const r = cli.run('models', 'import-weights', onnx, '--model', 'alexnet', '--dataset', 'fashion-mnist', '--width', '0.125', '--test-images', '100', '--out', out, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json<{ testImages: number }>().testImages, 100);
    assert.ok(existsSync(join(out, 'fashion-mnist', 'alexnet.etw')));
    const bad = cli.run('models', 'import-weights', onnx, '--model', 'alexnet', '--dataset', 'fashion-mnist', '--width', '0.5', '--out', out);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /do not fit alexnet \(width 0\.5\)/);
  });

  test('bad usage exits 2 with the reason', () => {
    const r = cli.run('train', '--model', 'resnet18', '--dataset', 'fashion-mnist');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--model must be one of vgg11, alexnet/);
  });
});
