import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBaseWeights } from './base-weights.ts';
import { builtinModel } from '../dnn/models/builtin.ts';

test('the shipped trained model: its width-0.5 spec, trained weights that fit it, its test accuracy in the source', () => {
  const b = loadBaseWeights('vgg11', 'fashion-mnist');
  assert.equal(b.trained, true);
  assert.equal(b.warning, undefined);
  assert.match(b.source, /^trained-models\/fashion-mnist\/vgg11\.etw \(width 0\.5, 9\d\.\d\d% on 10000 test images\)$/);
  assert.match(b.weightsId ?? '', /^[0-9a-f]{16}$/);
  const full = builtinModel('vgg11', 'fashion-mnist');
  const conv1 = b.spec.layers[0];
  assert.equal(conv1.type, 'conv');
  assert.equal((conv1.outChannels ?? 0) * 2, full.layers[0].outChannels, 'half the full width');
  assert.equal(b.weights.get(conv1.id)?.kernel?.length, 3 * 3 * 1 * (conv1.outChannels ?? 0));
});

test('no trained model (resnet18, or an empty trained-models folder): full-width seeded weights and a warning that says so', () => {
  const r = loadBaseWeights('resnet18', 'cifar10');
  assert.equal(r.trained, false);
  assert.equal(r.weightsId, undefined);
  assert.match(r.warning ?? '', /no trained weights for resnet18 on cifar10: serving seeded random weights/);
  const empty = mkdtempSync(join(tmpdir(), 'edgetree-no-trained-'));
  try {
    const a = loadBaseWeights('alexnet', 'cifar10', empty);
    assert.equal(a.trained, false);
    assert.deepEqual(a.spec, builtinModel('alexnet', 'cifar10'));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
