// Packaging a search run that chose distilled variants: the bundle carries the shipped
// trained base model's weights and the variant weights the search's store keys name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { loadBaseModel } from '../accuracy/trained-models.ts';
import { prepareVariants } from '../accuracy/variant-catalog.ts';
import type { CatalogVariant } from '../accuracy/variant-catalog.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { openBundle } from '../bundle/open-bundle.ts';
import { everyKernel, splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { PHONE, SERVER } from '../search/testing/tiny-problem.ts';
import { createPackageService } from './package-service.ts';
import { storeBundleSource } from './bundle-source.ts';
import { createTestHome } from './test-home.ts';
import type { ModelTree } from '../search/model-tree.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { dnnSurgery } from '../search/surgery.ts';

useWasmWithoutLeaks();

describe('packaging from the variant store', () => {
  const home = createTestHome();
  const db = home.db;
  const base = loadBaseModel('alexnet', 'fashion-mnist');
  const packaging = createPackageService(db, { home: home.home, source: storeBundleSource(db), loadProfile: (id) => (id === 'cloud' ? everyKernel(SERVER) : everyKernel(PHONE)) });
  let variant: CatalogVariant;
  let tree: ModelTree;
  before(async () => {
    // One cheap variant: F1 (SVD) on the first FC layer, distilled briefly on 64 images.
    const fc = base.spec.layers.findIndex((l) => l.type === 'fc');
    [variant] = await prepareVariants(db, base, { techniques: ['F1'], layers: [fc], images: 64, epochs: 1, train: () => loadDataset('fashion-mnist', 'train', { limit: 64 }) });
    tree = await splitTree('alexnet', 'fashion-mnist', 3, [1, 20], [variant.info]);
  });
  after(() => {
    home.dispose();
  });

  test('the variant the run names by store key rides in the bundle with its distilled weights; the base is the trained model', async () => {
    const runId = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result: { weightsId: base.weightsId, variantKeys: { [variant.info.id]: variant.key } } });
    const r = await packaging.packageBundle({ searchRunId: runId, outDir: join(home.home, 'b1'), weightsDtype: 'float32' });
    assert.match(r.weightsSource, /^trained-models\/fashion-mnist\/alexnet\.etw \(width 0\.5/);
    assert.deepEqual(r.warnings.filter((w) => !w.includes('runtime')), []);
    const opened = await openBundle(r.dir);
    const node = opened.manifest.nodes.find((n) => n.variants.some((v) => v.id === variant.info.id));
    assert.ok(node, `a node runs ${variant.info.id}`);
    const weights = await opened.nodeWeights(node.id);
    const layerIds = variant.info.layers.map((l) => l.id);
    for (const id of layerIds) {
      const want = variant.weights.get(id)?.kernel;
      assert.ok(want, `variant layer ${id} has a kernel`);
      assert.deepEqual(weights.get(id)?.kernel, want, `layer ${id}: the distilled weights`);
    }
    // The tree's cutting nodes carry their offload guard (worked out on the run's profiles); the runtime reads it.
    const cutting = opened.manifest.nodes.filter((n) => n.offload !== null);
    assert.ok(cutting.length > 0);
    for (const n of cutting) assert.ok((n.offload?.guardMbps ?? 0) > 0, `node ${n.id} guard ${String(n.offload?.guardMbps)}`);
    // The device's first layer holds the trained conv1, not seeded weights.
    const root = await opened.nodeWeights(0);
    assert.deepEqual(root.get('conv1')?.kernel, base.weights.get('conv1')?.kernel);
  });

  test('refused by name: a run made on other base weights, a variant key the store does not hold', async () => {
    const stale = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result: { weightsId: '0123456789abcdef', variantKeys: { [variant.info.id]: variant.key } } });
    await assert.rejects(packaging.packageBundle({ searchRunId: stale, outDir: join(home.home, 'b2') }), (e: Error) => e.name === 'PackageRequestError' && /ran on alexnet\/fashion-mnist weights 0123456789abcdef .* run the search again/.test(e.message));
    const missing = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result: { weightsId: base.weightsId, variantKeys: { [variant.info.id]: 'no-such-key' } } });
    await assert.rejects(packaging.packageBundle({ searchRunId: missing, outDir: join(home.home, 'b3') }), (e: Error) => e.name === 'PackageRequestError' && /variant F1@\S+ of alexnet\/fashion-mnist \(store key no-such-key\) is not in the variant store/.test(e.message));
  });

  test('configuration surgery: one root per bandwidth type cutting where DNN surgery cuts the unmodified model at that rate, no variants', async () => {
    // At 0.001 Mbit/s the tiny phone keeps 12 layers, at 20 it sends the input.
    const levels = [0.001, 20];
    const runId = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result: { weightsId: base.weightsId, baseAccuracy: 0.9 }, trace: { levelsMbps: levels } });
    const r = await packaging.packageBundle({ searchRunId: runId, outDir: join(home.home, 's1'), configuration: 'surgery' });
    assert.equal(r.configuration, 'surgery');
    assert.match(r.description, /^DNN surgery: the min-cut of the unmodified model/);
    const m = (await openBundle(r.dir)).manifest;
    const analysis = analyzeModel(base.spec);
    const cuts = levels.map((w) => dnnSurgery(analysis, everyKernel(PHONE), everyKernel(SERVER), w).cut);
    // The branch each root type starts ends at surgery's cut for that type (L: all on the device), whatever the later rates.
    // The baselines run as the paper's do: no offload guard.
    assert.ok(m.nodes.every((n) => n.offload?.guardMbps === undefined));
    for (const b of m.branches) {
      const rootType = b.levels[0];
      assert.equal(b.cut, cuts[rootType], `branch ${b.nodeIds.join('-')}`);
      assert.deepEqual(b.variantIds, []);
    }
    assert.notEqual(cuts[0], cuts[1], 'the types cut differently, so they are told apart');
  });

  test('configuration branch: the recorded optimal branch nearest the median, as a one-fork bundle with its variant', async () => {
    const L = base.spec.layers.length;
    const typeBranches = [
      { bandwidthMbps: 1, composition: { cut: L, variantIds: [variant.info.id] }, accuracy: 0.88, latencyMs: 100, reward: 1 },
      { bandwidthMbps: 20, composition: { cut: 2, variantIds: [] }, accuracy: 0.9, latencyMs: 50, reward: 2 },
    ];
    const result = { weightsId: base.weightsId, variantKeys: { [variant.info.id]: variant.key }, baseAccuracy: 0.9 };
    const near1 = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result, trace: { typeBranches, medianMbps: 1.5 } });
    const a = await packaging.packageBundle({ searchRunId: near1, outDir: join(home.home, 'br1'), configuration: 'branch' });
    assert.match(a.description, /^the optimal branch for the 1\.00 Mbit\/s type \(nearest the trace's median 1\.50 Mbit\/s\)/);
    const ma = (await openBundle(a.dir)).manifest;
    assert.equal(ma.bandwidth.levelsMbps.length, 1);
    assert.equal(ma.branches.length, 1);
    assert.equal(ma.branches[0].cut, L);
    assert.deepEqual(ma.branches[0].variantIds, [variant.info.id]);
    assert.equal(ma.branches[0].accuracy, 0.88);
    const near20 = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result, trace: { typeBranches, medianMbps: 8 } });
    const b = await packaging.packageBundle({ searchRunId: near20, outDir: join(home.home, 'br2'), configuration: 'branch' });
    const mb = (await openBundle(b.dir)).manifest;
    assert.equal(mb.branches[0].cut, 2);
    assert.deepEqual(mb.branches[0].variantIds, []);
    const none = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { result, trace: { typeBranches: [] } });
    await assert.rejects(packaging.packageBundle({ searchRunId: none, outDir: join(home.home, 'br3'), configuration: 'branch' }), /records no optimal branch to package/);
  });
});
