import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from './tfjs-backend.ts';
import { requireTrainingBackend, TrainingBackendError } from './training-backend.ts';

test('training refuses the plain cpu backend unless allowed, and says which backend runs', async () => {
  const wasm = await initTfjsBackend({ prefer: 'wasm' });
  assert.deepEqual(await requireTrainingBackend(), wasm);
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'wasm can train: its conv filter gradient is registered');

  assert.ok(await tf.setBackend('cpu'));
  await assert.rejects(requireTrainingBackend(), (err: Error) => {
    assert.ok(err instanceof TrainingBackendError);
    assert.match(err.message, /cpu \(slow, about 30x slower than wasm\)/);
    assert.match(err.message, /allowCpu/);
    return true;
  });
  assert.equal((await requireTrainingBackend({ allowCpu: true })).name, 'cpu');
  assert.ok(await tf.setBackend('wasm'));
});
