import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { composeSpec } from './compose-spec.ts';
import { checkComposition, indexCatalog } from './catalog.ts';
import type { VariantInfo } from './problem.ts';

// A residual block: s2 adds the skip s0 to s1; s3 reads s2 by name.
const residual: ModelSpec = {
  name: 'res',
  inputShape: [4, 4, 4],
  layers: [
    { id: 's0', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
    { id: 's1', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
    { id: 's2', type: 'add', inputs: ['s0', 's1'] },
    { id: 's3', type: 'conv', kernel: 1, outChannels: 4, inputs: ['s2'] },
    { id: 's4', type: 'gap' },
  ],
};
const analysis = analyzeModel(residual);

describe('composeSpec', () => {
  test('a variant inside the residual path is rewired; a clashing id is prefixed', () => {
    const v: VariantInfo = { id: 'X', technique: 'C1', firstLayer: 1, lastLayer: 1, layers: [
      { id: 'dw', type: 'depthwise', kernel: 3, padding: 1 },
      { id: 's0', type: 'conv', kernel: 1, outChannels: 4 },
    ] };
    const catalog = indexCatalog(analysis, [v]);
    const variants = checkComposition(analysis, catalog, { cut: 5, variantIds: ['X'] });
    const c = composeSpec(residual, variants, 5);
    assert.deepEqual(c.spec.layers.map((l) => l.id), ['s0', 'dw', 'X/s0', 's2', 's3', 's4']);
    assert.deepEqual(c.spec.layers[3].inputs, ['s0', 'X/s0']);
    assert.equal(c.spec.layers[1].inputs, undefined); // reads s0, the previous layer
    assert.deepEqual(c.basePosition, [0, 1, 1, 2, 3, 4]);
    assert.equal(c.composedCut, 6);
    const composed = analyzeModel(c.spec);
    assert.deepEqual(composed.outputShape, [4]);
  });

  test('a variant of a layer that names its input keeps reading it; the cut maps into the composed list', () => {
    const v: VariantInfo = { id: 'Y', technique: 'W1', firstLayer: 3, lastLayer: 3, layers: [{ id: 's3p', type: 'conv', kernel: 1, outChannels: 4 }] };
    const w: VariantInfo = { id: 'Z', technique: 'C1', firstLayer: 1, lastLayer: 1, layers: [{ id: 's1z', type: 'conv', kernel: 1, outChannels: 4 }] };
    const catalog = indexCatalog(analysis, [v, w]);
    const c = composeSpec(residual, checkComposition(analysis, catalog, { cut: 4, variantIds: ['Y', 'Z'] }), 4);
    assert.deepEqual(c.spec.layers.map((l) => [l.id, l.inputs]), [['s0', undefined], ['s1z', undefined], ['s2', ['s0', 's1z']], ['s3p', ['s2']], ['s4', undefined]]);
    assert.equal(c.composedCut, 4);
    assert.equal(analyzeModel(c.spec).cutBytes[4], analysis.cutBytes[4]);
  });

  test('a range whose inner tensor is read after it is refused', () => {
    const v: VariantInfo = { id: 'bad', technique: 'W1', firstLayer: 0, lastLayer: 1, layers: [{ id: 'q', type: 'conv', kernel: 1, outChannels: 4 }] };
    assert.throws(() => indexCatalog(analysis, [v]), /variant "bad" of model "res": base layer 2 "s2" reads "s0" from inside the replaced range \[0, 1\]/);
  });
});
