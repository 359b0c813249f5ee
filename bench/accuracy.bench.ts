/**
 * The accuracy side on this computer (issue 4 item 9), printed, asserting nothing:
 * - evaluation of the shipped Fashion-MNIST vgg11 (width 0.5) on 2,000 validation
 *   images: seconds and images/s (goal: under 20 s), and a composition with one
 *   distilled block against the base (ratio);
 * - preparing pluggable variants: seconds per variant, and the projected time for
 *   all of vgg11's (BENCH_ALL_VARIANTS=1 prepares them all instead of one per technique);
 * - accuracy cost per technique after distillation, on the same 2,000 images
 *   (goal: every single-layer compression within 1.5 points of the base).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { openStore } from '../profiles/open-store.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { loadBaseModel } from '../accuracy/trained-models.ts';
import { evaluateAccuracy } from '../accuracy/evaluate.ts';
import { prepareVariants, variantCandidates } from '../accuracy/variant-catalog.ts';
import { pooledAccuracy } from '../accuracy/accuracy-pool.ts';
import { composedModel } from '../accuracy/composed-model.ts';

const home = mkdtempSync(join(tmpdir(), 'edgetree-bench-accuracy-'));
const info = await initTfjsBackend();
await requireTrainingBackend();
console.log(`backend: ${info.description}`);
const db = openStore(home);
try {
  const base = loadBaseModel('vgg11', 'fashion-mnist');
  const val = await loadDataset('fashion-mnist', 'val', { limit: 2000 });
  const b = evaluateAccuracy(base.spec, base.weights, val);
  console.log(`vgg11 (width 0.5) on 2,000 validation images: ${(b.ms / 1000).toFixed(1)} s, ${(b.images / (b.ms / 1000)).toFixed(0)} images/s, accuracy ${(b.accuracy * 100).toFixed(2)}% (goal: < 20 s)`);

  const all = process.env.BENCH_ALL_VARIANTS === '1';
  const candidates = variantCandidates(base, {});
  const chosen = all ? candidates : [...new Map(candidates.map((c) => [c.technique, c])).values()];
  const start = performance.now();
  const variants = [];
  for (const c of chosen) {
    variants.push(...await prepareVariants(db, base, { techniques: [c.technique], layers: [c.layerIndex], train: () => loadDataset('fashion-mnist', 'train', { limit: 2048 }) }));
  }
  const perVariant = (performance.now() - start) / 1000 / Math.max(1, variants.length);
  console.log(`prepared ${variants.length} variants in ${(perVariant * variants.length).toFixed(0)} s (${perVariant.toFixed(1)} s each); vgg11 has ${candidates.length}: ${all ? 'all prepared' : `projected ${(perVariant * candidates.length / 60).toFixed(1)} min for all`}`);

  console.log('technique  layer      MACC saved   accuracy   lost (points)   feature loss before -> after');
  for (const v of variants) {
    const r = pooledAccuracy(db, base, [v], val);
    const lost = (b.accuracy - r.accuracy) * 100;
    console.log(`${v.info.technique.padEnd(10)} ${v.info.id.split('@')[1].padEnd(10)} ${String(v.record.maccBefore - v.record.maccAfter).padStart(11)}   ${(r.accuracy * 100).toFixed(2)}%   ${lost.toFixed(2).padStart(6)} ${lost <= 1.5 ? '(goal met)' : '(goal: <= 1.5)'}   ${v.record.lossBefore.toFixed(3)} -> ${v.record.lossAfter.toFixed(3)}`);
  }
  if (variants.length > 0) {
    const one = composedModel(base, [variants[0]]);
    const c = evaluateAccuracy(one.spec, one.weights, val);
    console.log(`composed with ${variants[0].info.id}: ${(c.ms / 1000).toFixed(1)} s for 2,000 images (${(c.ms / b.ms).toFixed(2)}x the base's time)`);
  }
} finally {
  db.close();
  rmSync(home, { recursive: true, force: true });
}
