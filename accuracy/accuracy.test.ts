import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { openStore } from '../profiles/open-store.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { loadBaseModel, BaseModelMissingError } from './trained-models.ts';
import { evaluateAccuracy } from './evaluate.ts';
import { prepareVariants } from './variant-catalog.ts';
import { pooledAccuracy } from './accuracy-pool.ts';
import { composedModel } from './composed-model.ts';

// The shipped Fashion-MNIST alexnet (trained-models/, width 0.5) on small subsets.
useWasmWithoutLeaks();

const home = mkdtempSync(join(tmpdir(), 'edgetree-accuracy-'));
after(() => rmSync(home, { recursive: true, force: true }));

describe('accuracy of the shipped base model and its pluggable variants', () => {
  test('the shipped alexnet classifies Fashion-MNIST test images (first 500) above 88%', async () => {
    const base = loadBaseModel('alexnet', 'fashion-mnist');
    assert.equal(base.record.width, 0.5);
    assert.ok((base.record.testAccuracy ?? 0) >= 0.905, `record says ${base.record.testAccuracy}`);
    const test500 = await loadDataset('fashion-mnist', 'test', { limit: 500 });
    const r = evaluateAccuracy(base.spec, base.weights, test500);
    assert.equal(r.images, 500);
    assert.ok(r.accuracy > 0.88, `accuracy ${r.accuracy}`);
  });

  test('a missing base model names the command that makes one', () => {
    assert.throws(() => loadBaseModel('vgg11', 'cifar10', join(home, 'none')), (e: unknown) => e instanceof BaseModelMissingError && /edgetree train --model vgg11 --dataset cifar10/.test(e.message));
  });

  test('W1 on conv2 is distilled once, stored, then read back; the memory pool answers the second evaluation', async () => {
    await requireTrainingBackend();
    const db = openStore(home);
    try {
      const base = loadBaseModel('alexnet', 'fashion-mnist');
      const conv2 = base.spec.layers.findIndex((l) => l.id === 'conv2');
      const train = () => loadDataset('fashion-mnist', 'train', { limit: 256 });
      const first = await prepareVariants(db, base, { techniques: ['W1'], layers: [conv2], images: 256, epochs: 2, train });
      assert.equal(first.length, 1);
      const [w1] = first;
      assert.equal(w1.info.id, 'W1@conv2');
      assert.equal(w1.cached, false);
      assert.ok(w1.record.lossAfter < w1.record.lossBefore, `feature loss ${w1.record.lossBefore} -> ${w1.record.lossAfter}`);
      assert.ok(w1.record.maccAfter < w1.record.maccBefore);
      // The composed model's MACCs are the compressed ones.
      assert.equal(analyzeModel(composedModel(base, [w1]).spec).macc, w1.record.maccAfter);

      const again = await prepareVariants(db, base, { techniques: ['W1'], layers: [conv2], images: 256, epochs: 2, train });
      assert.equal(again[0].cached, true);
      assert.deepEqual(again[0].weights.get('conv2')?.kernel, w1.weights.get('conv2')?.kernel);

      const val = await loadDataset('fashion-mnist', 'val', { limit: 200 });
      const a = pooledAccuracy(db, base, [w1], val);
      const b = pooledAccuracy(db, base, [w1], val);
      assert.equal(a.cached, false);
      assert.equal(b.cached, true);
      assert.equal(b.accuracy, a.accuracy);
      assert.equal(a.images, 200);
      const plain = pooledAccuracy(db, base, [], val);
      assert.ok(a.accuracy > plain.accuracy - 0.1, `pruned ${a.accuracy} vs base ${plain.accuracy}`);
    } finally {
      db.close();
    }
  });
});
