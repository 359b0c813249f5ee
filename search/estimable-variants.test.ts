import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimableVariants } from './estimable-variants.ts';
import { PHONE } from './testing/tiny-problem.ts';
import type { VariantInfo } from './problem.ts';

test('a variant with a layer the profile has no line for is left out with the layer and kernel named; the others are kept', () => {
  // Lines for 1x1 conv and 3x3 depthwise only.
  const device = { ...PHONE, compute: [{ layerType: 'conv' as const, kernel: 1, slopeMsPerMacc: 1e-3, interceptMs: 0.2 }, { layerType: 'depthwise' as const, kernel: 3, slopeMsPerMacc: 1e-3, interceptMs: 0.2 }] };
  const v = (id: string, kernel: number): VariantInfo => ({ id, technique: 'C1', firstLayer: 0, lastLayer: 0, layers: [{ id: `${id}_dw`, type: 'depthwise', kernel }, { id: `${id}_pw`, type: 'conv', kernel: 1, outChannels: 4 }] });
  const f1: VariantInfo = { id: 'F1@fc', technique: 'F1', firstLayer: 1, lastLayer: 1, layers: [{ id: 'fc_a', type: 'fc', outChannels: 3 }] };
  const r = estimableVariants([v('C1@a', 3), v('C1@b', 5), f1], device);
  assert.deepEqual(r.usable.map((x) => x.id), ['C1@a']);
  assert.deepEqual(r.excluded, [
    { id: 'C1@b', reason: `profile "${PHONE.name}" has no line for depthwise with kernel 5 (layer C1@b_dw)` },
    { id: 'F1@fc', reason: `profile "${PHONE.name}" has no line for fc (layer fc_a)` },
  ]);
});
