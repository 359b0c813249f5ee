// Its own file: a failed WASM start cannot be retried in the same process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfjsBackend } from './tfjs-backend.ts';
import { BackendUnavailableError } from './backend-errors.ts';
import { TFJS_WASM_FILES } from './wasm-files.ts';

test('a wasm folder without the binaries is refused, naming the files and the folder', async () => {
  const missing = join(tmpdir(), 'edgetree-no-such-wasm-dir');
  await assert.rejects(initTfjsBackend({ prefer: 'wasm', wasmDir: missing }), (err: unknown) => {
    assert.ok(err instanceof BackendUnavailableError);
    assert.match(err.message, /tfjs-backend-wasm-simd\.wasm/);
    assert.ok(err.message.includes(missing));
    assert.match(err.message, /tensorflow: @tensorflow\/tfjs-node is not installed/);
    assert.match(err.message, /allowCpu/);
    return true;
  });
});

test('corrupt .wasm binaries: no silent cpu fallback; with allowCpu the cpu backend runs and says it is slow', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'edgetree-bad-wasm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of TFJS_WASM_FILES) writeFileSync(join(dir, file), 'not a wasm module');

  await assert.rejects(initTfjsBackend({ prefer: 'wasm', wasmDir: dir }), (err: unknown) => {
    assert.ok(err instanceof BackendUnavailableError);
    assert.match(err.message, new RegExp(`wasm: the \\.wasm binaries in ${dir} did not load`));
    return true;
  });
  assert.notEqual(tf.getBackend(), 'cpu');

  const info = await initTfjsBackend({ prefer: 'wasm', wasmDir: dir, allowCpu: true });
  assert.deepEqual(info, { name: 'cpu', simd: false, threads: 1, description: 'cpu (slow, about 30x slower than wasm)' });
  assert.equal(tf.getBackend(), 'cpu');
});
