// @serial
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { createTestHome } from './test-home.ts';
import { createStudioServices } from './studio-services.ts';
import { SWEEP_DEFAULTS } from '../api/accuracy-api.ts';
import type { CompressionSweepStatus } from '../api/accuracy-api.ts';
import { DISTILL_DEFAULTS } from '../accuracy/distill-variant.ts';

// The shipped Fashion-MNIST alexnet (width 0.5) through the studio's services, small figures.
useWasmWithoutLeaks();
const h = createTestHome();
h.db.close();
const s = createStudioServices({ home: h.home, mode: 'cli', adbPort: false });
after(() => { s.close(); h.dispose(); });

const SMALL = { valImages: 100, distillImages: 128, distillEpochs: 1 };

async function finished(runId: string): Promise<CompressionSweepStatus> {
  await s.idle();
  return s.compressionSweepStatus({ runId });
}

describe('model accuracy and compression sweeps', () => {
  test('the shipped model: its record (width, how it was trained, test accuracy), nothing distilled yet', async () => {
    const a = await s.modelAccuracy({ model: 'alexnet', dataset: 'fashion-mnist' });
    assert.equal(a.missing, null);
    assert.equal(a.trained?.width, 0.5);
    assert.equal(a.trained?.source, 'pytorch-recipe');
    assert.equal(a.trained?.epochs, 12);
    assert.equal(a.trained?.testImages, 10_000);
    assert.ok((a.trained?.testAccuracy ?? 0) >= 0.905);
    assert.match(a.trained?.weightsId ?? '', /^[0-9a-f]{16}$/);
    assert.deepEqual([a.blocks, a.baseValAccuracy, a.latestSweep, a.valImages], [[], null, null, SWEEP_DEFAULTS.valImages]);
    // Sweeps distil with the search's defaults, so both find the same stored blocks.
    assert.deepEqual([SWEEP_DEFAULTS.distillImages, SWEEP_DEFAULTS.distillEpochs], [DISTILL_DEFAULTS.images, DISTILL_DEFAULTS.epochs]);
  });

  test('a model without trained weights says how to make them', async () => {
    const empty = join(h.home, 'none');
    mkdirSync(empty);
    process.env.EDGETREE_TRAINED_DIR = empty;
    try {
      const a = await s.modelAccuracy({ model: 'vgg11', dataset: 'cifar10' });
      assert.equal(a.trained, null);
      assert.match(a.missing ?? '', /edgetree train --model vgg11 --dataset cifar10/);
      await assert.rejects(s.startCompressionSweep({ model: 'vgg11', dataset: 'cifar10' }), { name: 'BaseModelMissingError' });
    } finally {
      delete process.env.EDGETREE_TRAINED_DIR;
    }
  });

  test('W1 and C1 on conv2: MACCs saved and accuracy lost per block; stored, so the second sweep reads everything back', async () => {
    const started = await s.startCompressionSweep({ model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1', 'C1'], layers: [3], ...SMALL });
    assert.equal(started.kind, 'compression-sweep');
    assert.deepEqual(started.params, { model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1', 'C1'], layers: [3], ...SMALL });
    const st = await finished(started.runId);
    assert.equal(st.status, 'done', st.message);
    assert.deepEqual([st.done, st.total], [2, 2]);
    const base = st.baseAccuracy as number;
    assert.ok(base > 0.85, `base ${base}`);
    const w1 = st.rows.find((r) => r.technique === 'W1');
    assert.ok(w1 !== undefined);
    assert.deepEqual([w1.variantId, w1.layerId, w1.layerIndex], ['W1@conv2', 'conv2', 3]);
    // Half of conv2's 32 filters: conv2 5x5x32x16 at 16x16 and fc1 1,024x192 saved.
    assert.equal(w1.maccSaved, 5 * 5 * 32 * 16 * 16 * 16 + 1024 * 192);
    assert.equal(w1.maccBefore - w1.maccAfter, w1.maccSaved);
    for (const r of st.rows) {
      assert.equal(r.accuracyLost, base - r.accuracy);
      assert.equal(r.cached, false);
      assert.ok(r.maccSaved > 0, `${r.variantId} saves ${r.maccSaved}`);
    }

    // The Models screen's view: the stored blocks with their pooled accuracies on the same 100 images.
    const a = await s.modelAccuracy({ model: 'alexnet', dataset: 'fashion-mnist', valImages: 100 });
    assert.equal(a.baseValAccuracy, base);
    assert.deepEqual(a.blocks.map((b) => [b.id, b.accuracy, b.maccAfter, b.distillImages, b.distillEpochs]).sort(),
      st.rows.map((r) => [r.variantId, r.accuracy, r.maccAfter, 128, 1]).sort());
    assert.equal(a.latestSweep?.runId, st.runId);
    // Another validation size has no pooled figures yet.
    assert.deepEqual((await s.modelAccuracy({ model: 'alexnet', dataset: 'fashion-mnist', valImages: 99 })).blocks.map((b) => b.accuracy), [null, null]);

    const again = await finished((await s.startCompressionSweep({ model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1', 'C1'], layers: [3], ...SMALL })).runId);
    assert.deepEqual(again.rows.map((r) => r.cached), [true, true]);
    assert.deepEqual(again.rows.map((r) => r.accuracy), st.rows.map((r) => r.accuracy));
  });

  test('a sweep with nothing that fits fails naming it; a queued sweep can be cancelled', async () => {
    const none = await finished((await s.startCompressionSweep({ model: 'alexnet', dataset: 'fashion-mnist', techniques: ['F1'], layers: [0], ...SMALL })).runId);
    assert.equal(none.status, 'failed');
    assert.match(none.error?.message ?? '', /none of F1 fits layer\(s\) 0 of alexnet/);
    const running = await s.startCompressionSweep({ model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1'], layers: [0], ...SMALL });
    const queued = await s.startCompressionSweep({ model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1'], layers: [0], ...SMALL });
    const cancelled = await s.cancelJob({ runId: queued.runId });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await finished(running.runId)).status, 'done');
  });
});
