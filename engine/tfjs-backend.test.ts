import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { currentBackendInfo, initTfjsBackend, tfjsWasmDir } from './tfjs-backend.ts';
import { describeBackend } from './backend-info.ts';
import { TFJS_WASM_FILES } from './wasm-files.ts';
import { deviceBackendFromEnv } from './device-backend-env.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

test('on this machine (no tfjs-node) the engine runs WASM with SIMD on one thread', async () => {
  const info = await initTfjsBackend();
  console.log(`backend: ${info.description}`);
  assert.deepEqual(info, { name: 'wasm', simd: true, threads: 1, description: 'wasm (SIMD, 1 thread)' });
  assert.equal(tf.getBackend(), 'wasm');
  // Asking again is idempotent and says the same.
  assert.deepEqual(await initTfjsBackend({ prefer: 'wasm' }), info);
  assert.deepEqual(await currentBackendInfo(), info);
});

test('the WASM binaries a page must be served are all in the installed package', () => {
  for (const file of TFJS_WASM_FILES) assert.ok(existsSync(join(tfjsWasmDir(), file)), `${file} in ${tfjsWasmDir()}`);
});

test('descriptions say what ran, and warn about the slow cpu backend', () => {
  assert.equal(describeBackend('wasm', false, 4).description, 'wasm (no SIMD, 4 threads)');
  assert.equal(describeBackend('cpu', false, 1).description, 'cpu (slow, about 30x slower than wasm)');
  assert.equal(describeBackend('webgl', false, 1).description, 'webgl (GPU)');
});

test('a device host told EDGETREE_DEVICE_BACKEND=cpu runs the JavaScript backend by name and says so; a value that is no backend is refused', async () => {
  assert.equal(deviceBackendFromEnv({}), undefined);
  assert.equal(deviceBackendFromEnv({ EDGETREE_DEVICE_BACKEND: 'cpu' }), 'cpu');
  assert.throws(() => deviceBackendFromEnv({ EDGETREE_DEVICE_BACKEND: 'gpu' }), /EDGETREE_DEVICE_BACKEND="gpu" is not a backend: use tensorflow, wasm or cpu/);
  const info = await initTfjsBackend({ only: deviceBackendFromEnv({ EDGETREE_DEVICE_BACKEND: 'cpu' }) });
  assert.equal(info.description, 'cpu (slow, about 30x slower than wasm)');
  assert.equal(tf.getBackend(), 'cpu');
  // Back to the usual choice for whatever runs after in this process.
  assert.equal((await initTfjsBackend({ only: 'wasm' })).name, 'wasm');
});
