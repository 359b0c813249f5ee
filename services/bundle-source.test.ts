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
import { splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { createPackageService } from './package-service.ts';
import { storeBundleSource } from './bundle-source.ts';
import { createTestHome } from './test-home.ts';
import type { ModelTree } from '../search/model-tree.ts';

useWasmWithoutLeaks();

describe('packaging from the variant store', () => {
  const home = createTestHome();
  const db = home.db;
  const base = loadBaseModel('alexnet', 'fashion-mnist');
  const packaging = createPackageService(db, { home: home.home, source: storeBundleSource(db) });
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
    const runId = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { weightsId: base.weightsId, variantKeys: { [variant.info.id]: variant.key } });
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
    // The device's first layer holds the trained conv1, not seeded weights.
    const root = await opened.nodeWeights(0);
    assert.deepEqual(root.get('conv1')?.kernel, base.weights.get('conv1')?.kernel);
  });

  test('refused by name: a run made on other base weights, a variant key the store does not hold', async () => {
    const stale = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { weightsId: '0123456789abcdef', variantKeys: { [variant.info.id]: variant.key } });
    await assert.rejects(packaging.packageBundle({ searchRunId: stale, outDir: join(home.home, 'b2') }), (e: Error) => e.name === 'PackageRequestError' && /ran on alexnet\/fashion-mnist weights 0123456789abcdef .* run the search again/.test(e.message));
    const missing = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree, { weightsId: base.weightsId, variantKeys: { [variant.info.id]: 'no-such-key' } });
    await assert.rejects(packaging.packageBundle({ searchRunId: missing, outDir: join(home.home, 'b3') }), (e: Error) => e.name === 'PackageRequestError' && /variant F1@\S+ of alexnet\/fashion-mnist \(store key no-such-key\) is not in the variant store/.test(e.message));
  });
});
