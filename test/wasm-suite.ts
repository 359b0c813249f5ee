// Test support: tests run on the WASM backend (never the slow plain cpu)
// and check that the file as a whole leaves no tensor behind.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';

export function useWasmWithoutLeaks(): void {
  let tensorsBefore = 0;
  before(async () => {
    const info = await initTfjsBackend();
    assert.equal(info.name, 'wasm', `backend ${info.description}`);
    tensorsBefore = tf.memory().numTensors;
  });
  after(() => assert.equal(tf.memory().numTensors, tensorsBefore, 'leaked tensors'));
}
