import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import { evaluateAccuracy } from './evaluate.ts';
import { CheckpointError, trainBaseModel } from './train-base.ts';

useWasmWithoutLeaks();
const dir = mkdtempSync(join(tmpdir(), 'edgetree-train-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('edgetree train (TF.js on WASM)', () => {
  test('a training stopped after 10 steps resumes from its checkpoint and learns Fashion-MNIST beyond chance', async () => {
    await requireTrainingBackend();
    const spec = builtinModel('alexnet', 'fashion-mnist', { width: 0.25 });
    const train = await loadDataset('fashion-mnist', 'train', { limit: 640 });
    const val = await loadDataset('fashion-mnist', 'val', { limit: 300 });
    const checkpoint = join(dir, 'alexnet.ckpt');
    const first = await trainBaseModel({ spec, train, epochs: 2, batch: 32, learningRate: 0.003, checkpoint, maxSteps: 10 });
    assert.equal(first.finished, false);
    assert.ok(existsSync(checkpoint));
    const seen: number[] = [];
    const second = await trainBaseModel({ spec, train, val, epochs: 2, batch: 32, learningRate: 0.003, checkpoint, onProgress: (p) => { if (!Number.isNaN(p.loss)) seen.push(p.loss); } });
    assert.deepEqual(second.resumedFrom, { epoch: 0, step: 10 });
    assert.equal(second.finished, true);
    assert.equal(second.history.length, 2);
    // 40 steps in all (20 per epoch): the second epoch's mean loss is below the first's.
    assert.ok(second.history[1].loss < second.history[0].loss, `losses ${second.history.map((h) => h.loss.toFixed(3)).join(', ')}`);
    const r = evaluateAccuracy(spec, second.weights, val);
    assert.ok(r.accuracy > 0.4, `val accuracy ${r.accuracy} (chance 0.1)`);
    assert.ok(Math.abs(r.accuracy - (second.history[1].valAccuracy ?? -1)) < 1e-9, 'the trainer reports the same accuracy as evaluation');
  });

  test('a corrupt checkpoint is refused by name', async () => {
    const bad = join(dir, 'bad.ckpt');
    writeFileSync(bad, 'not a checkpoint at all');
    const spec = builtinModel('alexnet', 'fashion-mnist', { width: 0.25 });
    const train = await loadDataset('fashion-mnist', 'train', { limit: 64 });
    await assert.rejects(trainBaseModel({ spec, train, epochs: 1, batch: 32, checkpoint: bad }), (e: unknown) => e instanceof CheckpointError && /bad\.ckpt/.test(e.message));
  });
});
