// Variants trained outside the studio: the job folder `edgetree variants export` writes, the real
// PyTorch recipe (recipes/pytorch/distill_variants.py, Debian's python3-torch) training on it, and
// the import that checks, stores and measures what came back; bad results are refused whole.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { createTestHome } from '../services/test-home.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { decodeWeightSet, encodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import { getVariant } from '../profiles/variant-repository.ts';
import { evaluateAccuracy } from './evaluate.ts';
import { loadBaseModel } from './trained-models.ts';
import { jobFiles } from './distill-job.ts';
import { exportDistillJob, importDistilledVariants, readDistillJob, VariantImportError } from './variant-exchange.ts';
import { prepareVariants, recipeVariantKey, VariantMissingError } from './variant-catalog.ts';

useWasmWithoutLeaks();

const RECIPE = new URL('../recipes/pytorch/distill_variants.py', import.meta.url).pathname;

describe('variants trained by the PyTorch recipe', () => {
  const home = createTestHome();
  const db = home.db;
  const dir = mkdtempSync(join(tmpdir(), 'edgetree-job-'));
  const base = loadBaseModel('alexnet', 'fashion-mnist');
  const fc1 = base.spec.layers.findIndex((l) => l.id === 'fc1');
  const fc2 = base.spec.layers.findIndex((l) => l.id === 'fc2');
  let train: ImageDataset;
  let val: ImageDataset;
  before(async () => {
    train = await loadDataset('fashion-mnist', 'train', { limit: 512 });
    val = await loadDataset('fashion-mnist', 'val', { limit: 300 });
  });
  after(() => {
    home.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('export: one job per fitting layer, the composed model, the trainable layers and the train split as bytes', () => {
    const job = exportDistillJob(base, { techniques: ['W1'], layers: [fc1, fc2], train, dir });
    assert.deepEqual(job.variants.map((v) => v.id), ['W1@fc1', 'W1@fc2']);
    assert.deepEqual(readDistillJob(dir), JSON.parse(JSON.stringify(job)));
    assert.equal(statSync(join(dir, jobFiles.images)).size, train.count * 32 * 32 * 1);
    assert.deepEqual([...readFileSync(join(dir, jobFiles.labels))], [...train.labels]);
    const v = job.variants[0];
    // The trainable layers are exactly the variant's own, and they sit in the composed model.
    assert.deepEqual(Object.values(v.trainable), v.info.layers.map((l) => l.id));
    for (const id of Object.keys(v.trainable)) assert.ok(v.spec.layers.some((l) => l.id === id), `${id} in the composed model`);
    assert.equal(v.teacherOutput, base.spec.layers[v.info.lastLayer].id);
    const start = decodeWeightSet(readFileSync(join(dir, jobFiles.start(v.id))), v.id).weights;
    assert.deepEqual([...start.keys()].sort(), v.info.layers.filter((l) => l.type === 'fc').map((l) => l.id).sort());
  });

  test('the recipe runs the studio model as the studio does, trains the block, and the import stores and measures it', async () => {
    execFileSync('/usr/bin/python3', [RECIPE, dir, '--epochs', '2', '--only', 'W1@fc1', '--threads', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const record = JSON.parse(readFileSync(join(dir, jobFiles.record('W1@fc1')), 'utf8')) as {
      trainAccuracy: { images: number; base: number }; lossBefore: number; lossAfter: number; steps: number; keptInitial: boolean;
    };
    // The recipe's own interpreter of the spec agrees with the studio's TF.js executor on the same images.
    const studio = evaluateAccuracy(base.spec, base.weights, train, { limit: record.trainAccuracy.images });
    assert.ok(Math.abs(studio.accuracy - record.trainAccuracy.base) <= 1 / record.trainAccuracy.images + 1e-9, `studio ${studio.accuracy}, recipe ${record.trainAccuracy.base}`);
    assert.equal(record.steps, 8);
    // Half of fc1's units pruned: training brings the block's features back towards the base model's.
    assert.equal(record.keptInitial, false);
    assert.ok(record.lossAfter < record.lossBefore, `feature loss ${record.lossBefore} -> ${record.lossAfter}`);
    const [imported] = importDistilledVariants(db, base, dir, { val });
    assert.equal(imported.id, 'W1@fc1');
    assert.equal(imported.key, recipeVariantKey(base, 'W1', fc1, {}));
    assert.equal(imported.images, 300);
    assert.ok(imported.accuracyAfter > 0.5, `W1@fc1 from the recipe keeps ${imported.accuracyAfter} (base ${imported.accuracyBefore})`);
    assert.ok(imported.maccAfter < imported.maccBefore);
    // A search with --variants recipe reads exactly the trained arrays.
    const [v] = await prepareVariants(db, base, { techniques: ['W1'], layers: [fc1], trainer: 'recipe', train: () => Promise.reject(new Error('nothing to distil')) });
    const trained = decodeWeightSet(readFileSync(join(dir, jobFiles.trained('W1@fc1'))), 'trained').weights;
    assert.deepEqual(v.weights, trained);
    assert.equal(v.key, imported.key);
  });

  test('a search that needs a variant nobody imported (W1@fc2; W1@fc1 was, above) is refused, naming it', async () => {
    await assert.rejects(
      prepareVariants(db, base, { techniques: ['W1'], layers: [fc1, fc2], trainer: 'recipe', train: () => Promise.reject(new Error('unused')) }),
      (e: unknown) => e instanceof VariantMissingError && /W1@fc2/.test(e.message) && !/W1@fc1/.test(e.message),
    );
  });

  test('a result with a wrong shape, values that are not numbers, or another base is refused and nothing is stored', () => {
    const bad = mkdtempSync(join(tmpdir(), 'edgetree-job-bad-'));
    try {
      for (const f of [jobFiles.job, jobFiles.start('W1@fc2')]) copyFileSync(join(dir, f), join(bad, f));
      const start = decodeWeightSet(readFileSync(join(dir, jobFiles.start('W1@fc2'))), 'start').weights;
      const [layer, w] = [...start.entries()][0];
      const short = new Map(start);
      short.set(layer, { ...w, kernel: (w.kernel as Float32Array).slice(1) });
      writeFileSync(join(bad, jobFiles.trained('W1@fc2')), encodeWeightSet('W1@fc2', short, 'float32'));
      assert.throws(() => importDistilledVariants(db, base, bad, { val }), (e: unknown) => e instanceof VariantImportError && e.message.includes('W1@fc2.trained.etw') && e.message.includes(`layer ${layer} kernel`));
      const nan = new Map(start);
      const k = Float32Array.from(w.kernel as Float32Array);
      k[3] = Number.NaN;
      nan.set(layer, { ...w, kernel: k });
      writeFileSync(join(bad, jobFiles.trained('W1@fc2')), encodeWeightSet('W1@fc2', nan, 'float32'));
      assert.throws(() => importDistilledVariants(db, base, bad, { val }), /not finite/);
      assert.equal(getVariant(db, recipeVariantKey(base, 'W1', fc2, {})), undefined, 'nothing stored');
      const job = JSON.parse(readFileSync(join(bad, jobFiles.job), 'utf8')) as { weightsId: string };
      writeFileSync(join(bad, jobFiles.job), JSON.stringify({ ...job, weightsId: '0123456789abcdef' }));
      assert.throws(() => importDistilledVariants(db, base, bad, { val }), /base weights 0123456789abcdef.*export the job again/);
      writeFileSync(join(bad, jobFiles.job), '{"format": "something else"');
      assert.throws(() => importDistilledVariants(db, base, bad, { val }), (e: unknown) => e instanceof VariantImportError && /job\.json: not JSON/.test(e.message));
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
