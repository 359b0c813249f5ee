import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelTree } from '../../api/search-api.ts';
import { layoutTree, NODE_W, GAP_X, ROW_H } from './tree-layout.ts';

// Two blocks [0, 3), [3, 5), K = 2: roots 0 (poor), 1 (good); 0 -> 2, 3; 1 -> 4, 5.
// Root 0 runs block 0 on the device; root 1 cuts at layer 1, so its children are cloud nodes.
const tree: ModelTree = {
  blocks: [{ index: 0, start: 0, end: 3 }, { index: 1, start: 3, end: 5 }],
  levelsMbps: [1, 8],
  nodes: [
    { id: 0, block: 0, level: 0, parent: null, cloud: false, cut: null, variantIds: ['W1@c1'], children: [2, 3], reward: 300 },
    { id: 1, block: 0, level: 1, parent: null, cloud: false, cut: 1, variantIds: [], children: [4, 5], reward: 350 },
    { id: 2, block: 1, level: 0, parent: 0, cloud: false, cut: null, variantIds: [], children: [], reward: 290 },
    { id: 3, block: 1, level: 1, parent: 0, cloud: false, cut: 4, variantIds: [], children: [], reward: 310 },
    { id: 4, block: 1, level: 0, parent: 1, cloud: true, cut: null, variantIds: [], children: [], reward: 0 },
    { id: 5, block: 1, level: 1, parent: 1, cloud: true, cut: null, variantIds: [], children: [], reward: 0 },
  ],
  roots: [0, 1],
  branches: [],
  reward: 325,
};

describe('model tree layout', () => {
  test('leaves side by side, parents centred over their children, one row per block', () => {
    const l = layoutTree(tree);
    const step = NODE_W + GAP_X;
    assert.deepEqual(l.leafX, [NODE_W / 2, NODE_W / 2 + step, NODE_W / 2 + 2 * step, NODE_W / 2 + 3 * step]);
    assert.equal(l.nodes[0].x, NODE_W / 2 + step / 2);
    assert.equal(l.nodes[1].x, NODE_W / 2 + 2.5 * step);
    assert.equal(l.nodes[2].y - l.nodes[0].y, ROW_H);
    assert.equal(l.width, 4 * step - GAP_X);
    assert.deepEqual(l.nodes.map((n) => n.placement), ['device', 'cut', 'device', 'cut', 'cloud', 'cloud']);
    assert.deepEqual(l.nodes[3].layers, [3, 5]);
  });
});
