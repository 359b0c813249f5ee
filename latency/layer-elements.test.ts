import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { layerElements } from './layer-elements.ts';

describe('layerElements', () => {
  test('output elements, pools times their window, gap its input', () => {
    const spec: ModelSpec = {
      name: 'block', inputShape: [8, 8, 16],
      layers: [
        { id: 'bn', type: 'bn' },
        { id: 'relu', type: 'activation', activation: 'relu' },
        { id: 'add', type: 'add', inputs: ['relu', '@input'] },
        { id: 'pool', type: 'maxpool', kernel: 3, stride: 2, padding: 'same' },
        { id: 'gap', type: 'gap' },
      ],
    };
    const a = analyzeModel(spec);
    // bn, relu, add: 8*8*16 = 1024; maxpool 3x3/2 same -> 4x4x16 = 256 outputs x 9 reads = 2304; gap reads 4*4*16 = 256.
    assert.deepEqual(a.layers.map(layerElements), [1024, 1024, 1024, 2304, 256]);
  });
});
